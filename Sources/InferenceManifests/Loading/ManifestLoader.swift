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
        load(directory: directory, workers: OrderedParallelMap.cores)
    }

    /// Files are read and decoded on `workers` threads, in runs of consecutive files whose objects
    /// are gathered as they are decoded (no lists per file to join), and the runs are joined in
    /// order: the result is the same as reading the files one after another.
    static func load(directory: String, workers: Int) -> ManifestLoadResult {
        let discovery = ManifestDiscovery.find(in: directory)
        let files = discovery.files
        let size = max(8, files.count / (max(workers, 1) * 16))
        let runs = stride(from: 0, to: files.count, by: size).map { $0..<min($0 + size, files.count) }
        // Small directories are not worth a thread.
        let loadedRuns = OrderedParallelMap.map(runs.count, workers: files.count >= 16 ? workers : 1) { run in
            var loaded = LoadedText()
            for index in runs[run] {
                loadFile(files[index], workers: workers, into: &loaded)
            }
            return loaded
        }
        // Plain arrays, handed to the state once: appending to its lists one file at a time
        // copies them (their observers drop its index), which made loading quadratic.
        var loaded = LoadedText(diagnostics: discovery.diagnostics)
        for run in loadedRuns {
            loaded.append(run)
        }
        return ManifestLoadResult(state: loaded.state, diagnostics: loaded.diagnostics.sortedForDisplay,
                                  files: files.map(\.displayPath))
    }

    static func loadFile(_ file: ManifestDiscovery.FoundFile, workers: Int, into loaded: inout LoadedText) {
        switch ManifestFileReader.read(path: file.absolutePath, displayPath: file.displayPath) {
        case .text(let text): loadText(text, file: file.displayPath, baseDirectory: file.folder, workers: workers, into: &loaded)
        case .refused(let diagnostic): loaded.diagnostics.append(diagnostic)
        }
    }

    /// Loads one YAML text (possibly several documents). Relative paths in specs are resolved
    /// against `baseDirectory`; diagnostics name `file`.
    public static func load(yaml: String, file: String, baseDirectory: String) -> ManifestLoadResult {
        if let refusal = ManifestFileReader.check(text: yaml, displayPath: file) {
            return ManifestLoadResult(diagnostics: [refusal], files: [file])
        }
        let loaded = loadText(yaml, file: file, baseDirectory: PathResolver.absolute(baseDirectory),
                              workers: OrderedParallelMap.cores)
        return ManifestLoadResult(state: loaded.state, diagnostics: loaded.diagnostics.sortedForDisplay, files: [file])
    }

    /// A large text is cut into runs of documents decoded on several threads when that gives
    /// exactly what one pass would (see `ChunkedLoad`); otherwise it is read in one pass.
    static func loadText(_ text: String, file: String, baseDirectory: String, workers: Int) -> LoadedText {
        var loaded = LoadedText()
        loadText(text, file: file, baseDirectory: baseDirectory, workers: workers, into: &loaded)
        return loaded
    }

    static func loadText(_ text: String, file: String, baseDirectory: String, workers: Int, into loaded: inout LoadedText) {
        if workers > 1, let chunked = ChunkedLoad.load(text, file: file, baseDirectory: baseDirectory, workers: workers) {
            loaded.append(chunked)
        } else {
            loadInOnePass(text, file: file, baseDirectory: baseDirectory, into: &loaded)
        }
    }

    static func loadInOnePass(_ text: String, file: String, baseDirectory: String) -> LoadedText {
        var loaded = LoadedText()
        loadInOnePass(text, file: file, baseDirectory: baseDirectory, into: &loaded)
        return loaded
    }

    /// Each document is decoded as soon as it is parsed: a large file is never held as trees.
    static func loadInOnePass(_ text: String, file: String, baseDirectory: String, into loaded: inout LoadedText) {
        let yamlDiagnostics = YAMLDocumentReader.read(text, file: file) { document in
            loaded.add(DocumentDecoder.decode(document, file: file, baseDirectory: baseDirectory))
        }
        loaded.diagnostics += yamlDiagnostics
    }
}
