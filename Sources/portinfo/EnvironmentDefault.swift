import ArgumentParser
import FoundationEssentials

/// Every `serve` flag can also be set by a `PORTINFO_*` variable (containers are configured so);
/// the flag wins over the variable, the variable over the default.
enum EnvironmentDefault {
    static func resolve<Value: ExpressibleByArgument>(_ flag: Value?, _ variable: String, default fallback: Value) throws -> Value {
        if let flag { return flag }
        guard let text = ProcessInfo.processInfo.environment[variable], !text.isEmpty else { return fallback }
        guard let value = Value(argument: text) else {
            throw ValidationError("\(variable)='\(text)' is not a valid value")
        }
        return value
    }

    /// A flag given, or its variable set to 1, true, on or yes (0, false, off, no or empty: not set).
    static func flag(_ flag: Bool, _ variable: String) throws -> Bool {
        if flag { return true }
        let text = (ProcessInfo.processInfo.environment[variable] ?? "").lowercased()
        switch text {
        case "1", "true", "on", "yes": return true
        case "", "0", "false", "off", "no": return false
        default: throw ValidationError("\(variable)='\(text)' must be 1 or 0")
        }
    }

    /// A comma-separated list, its elements trimmed, empty ones dropped.
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0.trimmingPrefix(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) }
            .filter { !$0.isEmpty }
    }

    /// An integer setting within `range`; outside it, a usage error naming the option and its variable.
    static func integer<Value: FixedWidthInteger & ExpressibleByArgument>(
        _ flag: Value?, _ variable: String, option: String, default fallback: Value, in range: ClosedRange<Value>
    ) throws -> Value {
        let value = try resolve(flag, variable, default: fallback)
        guard range.contains(value) else {
            let bounds = range.upperBound == .max ? "\(range.lowerBound) or more" : "from \(range.lowerBound) to \(range.upperBound)"
            throw ValidationError("\(option) (\(variable)) must be \(bounds), got \(value)")
        }
        return value
    }

    /// The longest duration a setting takes: a day is past any timeout's use.
    static let maximumSeconds = 86_400.0

    /// A duration given in (possibly fractional) seconds, more than 0 (at least 0 when `zeroAllowed`)
    /// and at most `maximumSeconds`.
    static func seconds(_ flag: Double?, _ variable: String, option: String, default fallback: Double,
                        zeroAllowed: Bool = false) throws -> Duration {
        let seconds = try resolve(flag, variable, default: fallback)
        // Compared as a Duration too: a positive number of seconds too small for one is none.
        guard seconds >= 0, seconds <= maximumSeconds, Duration.seconds(seconds) > .zero || (zeroAllowed && seconds == 0) else {
            throw ValidationError("""
                \(option) (\(variable)) must be \(zeroAllowed ? "0 or more" : "more than 0") seconds and at most \
                \(Int(maximumSeconds)), got \(seconds)
                """)
        }
        return .seconds(seconds)
    }

    /// Whether a setting was given at all, by its flag or its variable.
    static func isGiven(_ flag: (some Any)?, _ variable: String) -> Bool {
        flag != nil || !(ProcessInfo.processInfo.environment[variable] ?? "").isEmpty
    }
}
