import Foundation
import PackagePlugin

/// Embeds the repository's one IANA snapshot, `iana/service-names-port-numbers-YYYY-MM.csv`, into
/// the target as `embeddedSnapshotFiles`, so that the binary serves a registry with nothing beside it.
@main
struct EmbedSnapshot: BuildToolPlugin {
    struct SnapshotError: Error, CustomStringConvertible {
        let description: String
    }

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let directory = context.package.directoryURL.appending(path: "iana")
        let snapshots = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "csv" }
        // The date in the name is what the binary says of the snapshot: exactly one, named so.
        guard snapshots.count == 1, let snapshot = snapshots.first,
              snapshot.lastPathComponent.wholeMatch(of: /service-names-port-numbers-\d{4}-\d{2}\.csv/) != nil
        else {
            throw SnapshotError(description: "iana/ must hold exactly one service-names-port-numbers-YYYY-MM.csv, found \(snapshots.map(\.lastPathComponent))")
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedSnapshot.swift")
        return [
            .buildCommand(
                displayName: "Embedding the IANA snapshot \(snapshot.lastPathComponent)",
                executable: try context.tool(named: "FileEmbedder").url,
                arguments: [output.path, "embeddedSnapshotFiles", snapshot.path],
                inputFiles: [snapshot],
                outputFiles: [output]
            ),
        ]
    }
}
