import Basics
import Glibc

/// How old the registry's data is: the time since its newest IANA date (the latest Registration
/// or Modification Date it holds), which tells how far behind IANA it may be however recently it
/// was seeded; or since its import, when it holds no dates at all. IANA writes `YYYY-MM-DD` or
/// `YYYY-MM` (taken as the month's first day); imports are `YYYY-MM-DDTHH:MM:SSZ`. All UTC.
public struct RegistryAge: Sendable {
    /// When the age runs from, in seconds since the Unix epoch.
    let since: Int

    /// nil when the metadata's date cannot be read.
    public init?(_ metadata: RegistryMetadata) {
        self.init(newestIANADate: metadata.newestIANADate, importedAt: metadata.importedAt)
    }

    init?(newestIANADate: String?, importedAt: String) {
        guard let since = Self.epochSeconds(of: newestIANADate ?? importedAt) else { return nil }
        self.since = since
    }

    /// Seconds from `since` to `now` (seconds since the Unix epoch).
    public func seconds(at now: Int = time(nil)) -> Int {
        now - since
    }

    /// `YYYY-MM`, `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ` as seconds since the Unix epoch; nil for anything else.
    static func epochSeconds(of text: String) -> Int? {
        let shape = "0000-00-00T00:00:00Z".utf8 // 0: a digit; anything else: itself
        guard [7, 10, 20].contains(text.utf8.count),
              zip(text.utf8, shape).allSatisfy({ $1 == UInt8(ascii: "0") ? ASCII.isDigit($0) : $0 == $1 })
        else { return nil }
        let given = text.utf8.split { !ASCII.isDigit($0) }.map { Int32(Substring($0))! }
        let numbers = given + [1, 0, 0, 0].suffix(6 - given.count) // day 1, midnight, when left out
        var parts = tm()
        parts.tm_year = numbers[0] - 1900
        parts.tm_mon = numbers[1] - 1
        parts.tm_mday = numbers[2]
        parts.tm_hour = numbers[3]
        parts.tm_min = numbers[4]
        parts.tm_sec = numbers[5]
        guard (0...11).contains(parts.tm_mon), (1...31).contains(parts.tm_mday) else { return nil }
        return Int(timegm(&parts))
    }
}
