import ArgumentParser

/// An option that a `PORTINFO_*` variable sets as well (containers are configured so), declared
/// once: its name, from which its flag and its variable come (`--query-threads`,
/// `PORTINFO_QUERY_THREADS`), what it does, its default and the values it takes. Its help names the
/// variable and the default; SettingReader reads it.
struct Setting<Value: ExpressibleByArgument & Sendable>: Sendable {
    /// The flag without its dashes: `query-threads`.
    let name: String
    /// What it does, in a sentence or two: the help before the variable and the default.
    let summary: String
    /// What the help calls the value (`--idle-timeout <seconds>`); nil: the flag's name.
    let valueName: String?
    /// How the help words the default; nil says nothing of it.
    let defaultDescription: String?
    /// The value when neither the flag nor the variable gives one.
    let fallback: @Sendable (_ environment: [String: String]) -> Value
    /// What a value must be when it is out of bounds ("from 1 to 256"), else nil.
    let bounds: @Sendable (Value) -> String?
    /// The variable's text as a value, or the usage error that says why it is none.
    let parse: @Sendable (_ text: String, _ variable: String) throws -> Value

    var flag: String { "--" + name }
    var variable: String { "PORTINFO_" + String(name.uppercased().map { $0 == "-" ? "_" : $0 }) }
    /// How a message names it: `--query-threads (PORTINFO_QUERY_THREADS)`.
    var flagAndVariable: String { "\(flag) (\(variable))" }
    /// The variable as it is set: a switch's with `=1`.
    var variableUsage: String { Value.self == Bool.self ? variable + "=1" : variable }

    var help: ArgumentHelp {
        ArgumentHelp("\(summary) (env \(variableUsage)\(defaultDescription.map { ", default \($0)" } ?? ""))", valueName: valueName)
    }

    init(_ name: String, _ summary: String, valueName: String? = nil,
         default fallback: @escaping @Sendable ([String: String]) -> Value, described defaultDescription: String?,
         bounds: @escaping @Sendable (Value) -> String? = { _ in nil },
         parse: @escaping @Sendable (String, String) throws -> Value = Self.argument) {
        self.name = name
        self.summary = summary
        self.valueName = valueName
        self.fallback = fallback
        self.defaultDescription = defaultDescription
        self.bounds = bounds
        self.parse = parse
    }

    /// A setting whose default is a value, which its help states.
    init(_ name: String, _ summary: String, valueName: String? = nil, default value: Value) {
        self.init(name, summary, valueName: valueName, default: { _ in value }, described: "\(value)")
    }

    /// The variable's text as ArgumentParser reads the flag's.
    @Sendable static func argument(_ text: String, variable: String) throws -> Value {
        guard let value = Value(argument: text) else { throw ValidationError("\(variable)='\(text)' is not a valid value") }
        return value
    }
}

extension Setting where Value == String {
    /// Text without a default: unset, it is empty, and the help calls that `unset` (nothing when nil).
    init(_ name: String, _ summary: String, valueName: String? = nil, unset: String? = nil) {
        self.init(name, summary, valueName: valueName, default: { _ in "" }, described: unset)
    }
}

extension Setting where Value: FixedWidthInteger {
    /// A whole number within `range`.
    init(_ name: String, _ summary: String, valueName: String = "n", default value: Value, in range: ClosedRange<Value>) {
        self.init(name, summary, valueName: valueName, default: { value }, described: "\(value)", in: range)
    }

    /// A whole number within `range` whose default is worked out when it is needed.
    init(_ name: String, _ summary: String, valueName: String = "n", default compute: @escaping @Sendable () -> Value,
         described: String, in range: ClosedRange<Value>) {
        self.init(name, summary, valueName: valueName, default: { _ in compute() }, described: described, bounds: { value in
            guard !range.contains(value) else { return nil }
            return range.upperBound == .max ? "\(range.lowerBound) or more" : "from \(range.lowerBound) to \(range.upperBound)"
        })
    }
}

extension Setting where Value == Double {
    /// The longest duration a setting takes: a day is past any timeout's use.
    static var maximumSeconds: Double { 86_400 }

    /// A duration in (possibly fractional) seconds: more than 0 (at least 0 when `zeroAllowed`), at
    /// most `maximumSeconds`.
    init(_ name: String, _ summary: String, default duration: Duration, zeroAllowed: Bool = false) {
        let seconds = duration / .seconds(1)
        let described = seconds.rounded() == seconds ? "\(Int(seconds))" : "\(seconds)"
        self.init(name, summary, valueName: "seconds", default: { _ in seconds }, described: described, bounds: { seconds in
            // Compared as a Duration too: a positive number of seconds too small for one is none.
            guard seconds >= 0, seconds <= Self.maximumSeconds, Duration.seconds(seconds) > .zero || (zeroAllowed && seconds == 0) else {
                return "\(zeroAllowed ? "0 or more" : "more than 0") seconds and at most \(Int(Self.maximumSeconds))"
            }
            return nil
        })
    }
}

extension Setting where Value == Bool {
    /// A switch, off by default: the flag, or the variable set to 1, true, on or yes, turns it on
    /// (0, false, off or no leave it off).
    init(switch name: String, _ summary: String) {
        self.init(name, summary, default: { _ in false }, described: "off", parse: { text, variable in
            switch text.lowercased() {
            case "1", "true", "on", "yes": return true
            case "0", "false", "off", "no": return false
            default: throw ValidationError("\(variable)='\(text.lowercased())' must be 1 or 0")
            }
        })
    }
}

extension Option {
    /// The option of a Setting: its flag and its help.
    init<Wrapped>(_ setting: Setting<Wrapped>) where Value == Wrapped? {
        self.init(name: .customLong(setting.name), help: setting.help)
    }
}

extension Flag where Value == Bool {
    /// The flag of a switch.
    init(wrappedValue: Bool, _ setting: Setting<Bool>) {
        self.init(wrappedValue: wrappedValue, name: .customLong(setting.name), help: setting.help)
    }
}
