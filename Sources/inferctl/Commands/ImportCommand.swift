import ArgumentParser
import Foundation
import InferenceImport
import SelfHostedInferenceCore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write manifests from another tool's configuration.",
        subcommands: [ImportLlamaSwapCommand.self]
    )
}

struct ImportLlamaSwapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llama-swap",
        abstract: "Turn a llama-swap config.yaml into Instance and ResidencyGroup manifests in DIR.",
        discussion: """
        Each model becomes an Instance (llama_cpp when its cmd runs llama-server, otherwise \
        openai_compatible run from its cmd), each peer model an attached Instance, and llama-swap's \
        swapping rules ResidencyGroups. Whatever cannot be carried over is printed as a warning with \
        its line in CONFIG. Keys are never copied in clear: they become {env: NAME} references. \
        The manifests are validated before anything is written; existing files are never overwritten \
        without --force. Exit status: 0 written (warnings allowed), 1 nothing written (an error, or a \
        file that exists) or the directory does not validate afterwards. See docs/migrating-from-llama-swap.md.
        """
    )

    @Argument(help: ArgumentHelp("llama-swap's configuration file.", valueName: "CONFIG"))
    var config: String

    @OptionGroup var location: DirectoryArgument

    @Flag(help: "Overwrite files of the same name in DIR.")
    var force = false

    @Flag(help: "Print the manifests instead of writing them.")
    var dryRun = false

    func run() throws {
        let configURL = URL(fileURLWithPath: config).standardizedFileURL
        let text: String
        do {
            text = try ConfigText.read(configURL.path)
        } catch {
            Console.err("\(config): \(error)")
            throw ExitStatus.failure
        }
        if let problem = ConfigText.insideManifests(configURL, directory: location.directory) {
            Console.err("\(config): \(problem)")
            throw ExitStatus.failure
        }
        let importer = LlamaSwapImporter(file: config, configDirectory: configURL.deletingLastPathComponent().path,
                                         environment: ProcessInfo.processInfo.environment)
        let result = importer.convert(text)
        DiagnosticPrinter.print(result.diagnostics)
        if result.hasErrors {
            Console.err("Nothing written: \(config) has errors.")
            throw ExitStatus.failure
        }
        if dryRun {
            for manifest in result.manifests { Console.out("# \(manifest.fileName)\n" + manifest.text) }
            return
        }
        try ImportedManifestWriter(directory: location.directory, force: force).write(result.manifests, from: config)
    }
}

/// The config, read whole: it is small, but bounded like manifests so a wrong path cannot exhaust memory.
enum ConfigText {
    static let maximumBytes = 16 * 1024 * 1024

    struct Problem: Error, CustomStringConvertible { var description: String }

    /// A config inside DIR (not in a hidden file or folder) would be read as a manifest by every
    /// command, and fail: said before anything is written.
    static func insideManifests(_ config: URL, directory: String) -> String? {
        let root = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().path
        let file = config.resolvingSymlinksInPath().path
        guard file.hasPrefix(root + "/") else { return nil }
        let relative = file.dropFirst(root.count + 1).split(separator: "/")
        if relative.contains(where: { $0.hasPrefix(".") }) { return nil }
        let name = config.lastPathComponent
        guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { return nil }
        return "is inside \(directory), where every *.yaml file is read as a manifest; move it out (or rename it .\(name)) and import again"
    }

    static func read(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Problem(description: "cannot be read (missing, or no permission)") }
        defer { try? handle.close() }
        let data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
        if data.count > maximumBytes { throw Problem(description: "is larger than 16 MiB; not a llama-swap config") }
        guard let text = String(data: data, encoding: .utf8), !text.contains("\0") else { throw Problem(description: "is not a UTF-8 text file") }
        return text
    }
}
