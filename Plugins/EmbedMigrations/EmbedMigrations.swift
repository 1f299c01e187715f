import Foundation
import PackagePlugin

/// Embeds the repository's top-level `migrations/*.sql` into the target as `embeddedMigrationFiles`,
/// so the binary applies exactly those files and needs nothing beside it at run time.
@main
struct EmbedMigrations: BuildToolPlugin {
    struct MisnamedMigration: Error, CustomStringConvertible {
        let description: String
    }

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let directory = context.package.directoryURL.appending(path: "migrations")
        let sqlFiles = try FileManager.default
            .contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        // Versions are the names' four digits, 0001, 0002, … without a gap, so order is unambiguous.
        for (index, file) in sqlFiles.enumerated() {
            let expected = String(format: "%04d_", index + 1)
            guard file.lastPathComponent.hasPrefix(expected), file.lastPathComponent.count > expected.count + 4 else {
                throw MisnamedMigration(description: "migrations/\(file.lastPathComponent): expected a name NNNN_name.sql starting \(expected)")
            }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedMigrations.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(sqlFiles.count) migrations",
                executable: try context.tool(named: "FileEmbedder").url,
                arguments: [output.path, "embeddedMigrationFiles"] + sqlFiles.map(\.path),
                inputFiles: sqlFiles,
                outputFiles: [output]
            ),
        ]
    }
}
