import Foundation
import InferenceModel

/// What loading a manifest directory produced: the objects that decoded cleanly,
/// every problem found (in all files, in one pass) and the files that were read.
public struct ManifestLoadResult: Sendable {
    public var state: DesiredState
    public var diagnostics: [Diagnostic]
    /// Display paths of the manifest files found (the directory as given, joined with the relative path).
    public var files: [String]

    public init(state: DesiredState = .init(), diagnostics: [Diagnostic] = [], files: [String] = []) {
        self.state = state
        self.diagnostics = diagnostics
        self.files = files
    }
}

/// Reads YAML manifests (`kind: Backend | Instance | Consumer`) into a `DesiredState`.
///
/// Structural problems (syntax, types, unknown fields, enum values, secrets written inline...)
/// are reported with file, line, column and field path. A document with any error is left out
/// of `state`, so later rules do not pile up follow-on errors on half-read objects.
public enum ManifestLoader {
    /// Loads every `*.yaml` / `*.yml` under `directory`, recursively, in sorted order.
    public static func load(directory: String) -> ManifestLoadResult {
        let discovery = ManifestDiscovery.find(in: directory)
        var result = ManifestLoadResult(diagnostics: discovery.diagnostics,
                                        files: discovery.files.map(\.displayPath))
        // Plain arrays, handed to the state once: appending to its lists one file at a time
        // copies them (their observers drop its index), which made loading quadratic.
        var loaded = LoadedLists()
        for file in discovery.files {
            let text: String
            switch ManifestFileReader.read(path: file.absolutePath, displayPath: file.displayPath) {
            case .text(let contents): text = contents
            case .refused(let diagnostic):
                result.diagnostics.append(diagnostic)
                continue
            }
            let fileResult = loadText(text, file: file.displayPath, baseDirectory: file.folder)
            loaded.append(fileResult.state)
            result.diagnostics += fileResult.diagnostics
        }
        result.diagnostics = result.diagnostics.sortedForDisplay
        result.state = loaded.state
        return result
    }

    /// Loads one YAML text (possibly several documents). Relative paths in specs are resolved
    /// against `baseDirectory`; diagnostics name `file`.
    public static func load(yaml: String, file: String, baseDirectory: String) -> ManifestLoadResult {
        var result = ManifestLoadResult(files: [file])
        if let refusal = ManifestFileReader.check(text: yaml, displayPath: file) {
            result.diagnostics = [refusal]
            return result
        }
        result.merge(loadText(yaml, file: file, baseDirectory: PathResolver.absolute(baseDirectory)))
        result.diagnostics = result.diagnostics.sortedForDisplay
        return result
    }

    static func loadText(_ text: String, file: String, baseDirectory: String) -> ManifestLoadResult {
        var result = ManifestLoadResult()
        // Each document is decoded as soon as it is parsed: a large file is never held as trees.
        // Collected in local arrays, handed to the state once (its lists invalidate its index).
        var backends: [BackendDefinition] = []
        var instances: [InstanceManifest] = []
        var consumers: [ConsumerDefinition] = []
        let yamlDiagnostics = YAMLDocumentReader.read(text, file: file) { document in
            let decoded = DocumentDecoder.decode(document, file: file, baseDirectory: baseDirectory)
            result.diagnostics += decoded.diagnostics
            guard !decoded.diagnostics.hasErrors, let object = decoded.object else { return }
            switch object {
            case .backend(let backend): backends.append(backend)
            case .instance(let instance): instances.append(instance)
            case .consumer(let consumer): consumers.append(consumer)
            }
        }
        result.state = DesiredState(backends: backends, instances: instances, consumers: consumers)
        result.diagnostics += yamlDiagnostics
        return result
    }
}

/// The objects of several files, gathered before they become one `DesiredState`.
private struct LoadedLists {
    var backends: [BackendDefinition] = []
    var instances: [InstanceManifest] = []
    var consumers: [ConsumerDefinition] = []

    mutating func append(_ state: DesiredState) {
        backends += state.backends
        instances += state.instances
        consumers += state.consumers
    }

    var state: DesiredState { DesiredState(backends: backends, instances: instances, consumers: consumers) }
}

extension ManifestLoadResult {
    mutating func merge(_ other: ManifestLoadResult) {
        state.backends += other.state.backends
        state.instances += other.state.instances
        state.consumers += other.state.consumers
        diagnostics += other.diagnostics
    }
}
