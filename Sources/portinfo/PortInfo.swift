import ArgumentParser
import Basics
import Registry
import Glibc

@main
struct PortInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portinfo",
        abstract: "Answers \"what is port N?\" from the IANA Service Name and Transport Protocol Port Number Registry.",
        // Paragraphs are single lines, for ArgumentParser to wrap; a URL longer than a line ends
        // its paragraph, or the words after it would be wrapped with it.
        discussion: """
            The registry is an SQLite database that `portinfo seed` builds from IANA's CSV. With no database yet, \
            portinfo answers from the \(BuiltInSnapshot.sourceName).

            \(IANARegistry.attribution)

            IANA publishes the latest CSV at \(IANARegistry.csvURL)
            """,
        version: "\(version), with the IANA registry snapshot \(BuiltInSnapshot.date) (\(IANARegistry.pageURL), public domain, CC0 1.0)",
        subcommands: [Serve.self, Seed.self, Lookup.self, Service.self, Search.self, Listeners.self, FreePorts.self, Healthcheck.self]
    )

    static let version = "0.3.0"

    /// Every error ends the process with one line on standard error and a non-zero status.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) } // --help, --version
            // One line, whatever the message quotes: its line breaks become spaces, its controls escapes.
            let message = message(for: error).split(whereSeparator: \.isNewline).map(PrintableText.escaping).joined(separator: " ")
            var line = "portinfo: \(message)\n"
            line.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
            // Usage errors keep ArgumentParser's EX_USAGE (64); failures of the work itself exit 1.
            exit(withError: ExitCode(code == .validationFailure ? code.rawValue : 1))
        }
    }
}
