import ArgumentParser
import Registry

/// Reads Settings: the flag given wins over the variable, the variable over the default; an empty
/// variable is not set. A value out of bounds is a usage error naming the flag and its variable.
struct SettingReader {
    let environment: [String: String]

    func callAsFunction<Value>(_ setting: Setting<Value>, _ given: Value?) throws -> Value {
        let value = try given ?? variable(of: setting).map { try setting.parse($0, setting.variable) } ?? setting.fallback(environment)
        if let bounds = setting.bounds(value) {
            throw ValidationError("\(setting.flagAndVariable) must be \(bounds), got \(value)")
        }
        return value
    }

    /// A switch: on when its flag is given (a flag cannot be given as off).
    func isOn(_ setting: Setting<Bool>, _ flag: Bool) throws -> Bool {
        try self(setting, flag ? true : nil)
    }

    /// Text as given, which is never refused.
    func text(_ setting: Setting<String>, _ given: String?) -> String {
        given ?? variable(of: setting) ?? setting.fallback(environment)
    }

    /// Text that names several things, comma-separated: each trimmed, empty ones dropped.
    func list(_ setting: Setting<String>, _ given: String?) -> [String] {
        text(setting, given).split(separator: ",")
            .map { String($0.trimmingPrefix(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) }
            .filter { !$0.isEmpty }
    }

    /// Whether the flag or the variable gives a value.
    func isGiven<Value>(_ setting: Setting<Value>, _ given: Value?) -> Bool {
        given != nil || variable(of: setting) != nil
    }

    private func variable<Value>(of setting: Setting<Value>) -> String? {
        environment[setting.variable].flatMap(\.nonEmpty)
    }
}
