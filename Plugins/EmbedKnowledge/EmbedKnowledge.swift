import Foundation
import PackagePlugin

/// Embeds the repository's `knowledge/everyday-names.csv` and `knowledge/known-uses.csv` (names
/// people use for IANA's services, and vendor-documented uses of ports) into the target as
/// `embeddedKnowledgeFiles`, in that order, so that every seed loads exactly those.
@main
struct EmbedKnowledge: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let directory = context.package.directoryURL.appending(path: "knowledge")
        let files = ["everyday-names.csv", "known-uses.csv"].map { directory.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedKnowledge.swift")
        return [
            .buildCommand(
                displayName: "Embedding knowledge/ (everyday names and known uses)",
                executable: try context.tool(named: "FileEmbedder").url,
                arguments: [output.path, "embeddedKnowledgeFiles"] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output]
            ),
        ]
    }
}
