import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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

    /// A duration given in (possibly fractional) seconds.
    static func seconds(_ flag: Double?, _ variable: String, default fallback: Double) throws -> Duration {
        let seconds = try resolve(flag, variable, default: fallback)
        guard seconds > 0 else { throw ValidationError("\(variable) (or its flag) must be more than 0 seconds, got \(seconds)") }
        return .milliseconds(Int((seconds * 1000).rounded()))
    }
}

extension String {
    /// nil for "" (an option left unset).
    var nonEmpty: String? { isEmpty ? nil : self }
}
