import Basics
import ArgumentParser
import PortInfoReports
import Registry

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Full-text search over service names, descriptions and notes, best match first.")

    @Argument(help: "Words to find; each must match the start of a word.")
    var text: String

    @Option(help: "Results per page, 1 to \(RegistryStore.maximumSearchLimit).")
    var limit = RegistryStore.defaultSearchLimit

    @Option(help: "Results to skip, for the next pages.")
    var offset = 0

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard !text.trimmingPrefix(while: \.isWhitespace).isEmpty else { throw ValidationError("the search text is empty") }
        guard (1...RegistryStore.maximumSearchLimit).contains(limit) else {
            throw ValidationError("--limit must be from 1 to \(RegistryStore.maximumSearchLimit), got \(limit)")
        }
        guard offset >= 0 else { throw ValidationError("--offset must be 0 or more, got \(offset)") }
    }

    func run() throws {
        let query: SearchQuery
        do { query = try SearchQuery(text) } catch { throw ValidationError(error.description) }
        let results = try database.store().search(query, limit: limit, offset: offset)
        if output.json { return output.printJSON(APIJSON.searchAnswer(query: text, results: results, format: .pretty)) }
        guard !results.records.isEmpty else {
            print("\(results.total) records match '\(PrintableText.escaping(text))'" + (results.total > 0 ? " (none from offset \(offset))" : ""))
            return
        }
        print("\(results.total) records match '\(PrintableText.escaping(text))'; \(offset + 1) to \(offset + results.records.count):")
        print(RecordTable(results.records).text)
    }
}
