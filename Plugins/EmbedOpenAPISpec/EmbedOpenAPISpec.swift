import PackagePlugin

/// Embeds the repository's top-level `openapi.yaml` into the target as `embeddedOpenAPISpecFiles`,
/// so the server answers `/openapi.yaml` with exactly that file and needs nothing beside it.
@main
struct EmbedOpenAPISpec: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let spec = context.package.directoryURL.appending(path: "openapi.yaml")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedOpenAPISpec.swift")
        return [
            .buildCommand(
                displayName: "Embedding openapi.yaml",
                executable: try context.tool(named: "FileEmbedder").url,
                arguments: [output.path, "embeddedOpenAPISpecFiles", spec.path],
                inputFiles: [spec],
                outputFiles: [output]
            ),
        ]
    }
}
