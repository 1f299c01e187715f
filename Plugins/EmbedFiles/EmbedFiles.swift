import Foundation
import PackagePlugin

/// Embeds files of the repository into a target as Swift source (`let SYMBOL: [(name, text)]`),
/// so that the binary serves and applies them with nothing beside it. What each target embeds is
/// its `embedded-files` manifest, a line an embedding: `SYMBOL CHECK FILE...`, the files as paths
/// from the package's top, `DIR/*.EXT` for a folder's files of that ending in name order; CHECK is
/// what FileEmbedder holds them to (`-`, `numbered`, `one-snapshot`; `+compressed` stores them
/// compressed). scripts/fuzz.sh reads the
/// same manifests.
@main
struct EmbedFiles: BuildToolPlugin {
    struct ManifestError: Error, CustomStringConvertible {
        let description: String
    }

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let package = context.package.directoryURL
        let manifest = target.directoryURL.appending(path: "embedded-files")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.allSatisfy(\.isWhitespace) }.map { line in
            let words = line.split(separator: " ").map(String.init)
            guard words.count >= 3 else {
                throw ManifestError(description: "\(manifest.path): '\(line)' is not SYMBOL CHECK FILE...")
            }
            let files = try words.dropFirst(2).flatMap { try Self.expand($0, in: package) }
            let output = context.pluginWorkDirectoryURL.appending(path: "\(words[0]).swift")
            return .buildCommand(
                displayName: "Embedding \(words[0]) (\(files.count) \(files.count == 1 ? "file" : "files"))",
                executable: try context.tool(named: "FileEmbedder").url,
                arguments: [output.path, words[0], words[1]] + files.map(\.path),
                inputFiles: files + [manifest],
                outputFiles: [output]
            )
        }
    }

    /// `path`, or for `DIR/*.EXT` the files of DIR ending in .EXT, in name order.
    private static func expand(_ path: String, in package: URL) throws -> [URL] {
        guard let star = path.range(of: "/*.") else { return [package.appending(path: path)] }
        let folder = package.appending(path: String(path[..<star.lowerBound]))
        let ending = "." + path[star.upperBound...]
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasSuffix(ending) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
