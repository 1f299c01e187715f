import PackagePlugin

/// Embeds `assets/widget.js` into the target as `embeddedWidgetFiles`, so the server answers
/// `/widget.js` with exactly that file and needs nothing beside it.
@main
struct EmbedWidget: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let script = context.package.directoryURL.appending(path: "assets/widget.js")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedWidget.swift")
        return [
            .buildCommand(
                displayName: "Embedding assets/widget.js",
                executable: try context.tool(named: "FileEmbedder").url,
                arguments: [output.path, "embeddedWidgetFiles", script.path],
                inputFiles: [script],
                outputFiles: [output]
            ),
        ]
    }
}
