import Foundation
import InferenceModel
@testable import InferenceManifests

/// Loads one YAML text as `m.yaml` in `/base`.
func loadYAML(_ yaml: String, file: String = "m.yaml", base: String = "/base") -> ManifestLoadResult {
    ManifestLoader.load(yaml: yaml, file: file, baseDirectory: base)
}

extension ManifestLoadResult {
    /// The first diagnostic whose message contains `text`.
    func diagnostic(_ text: String) -> Diagnostic? {
        diagnostics.first { $0.message.contains(text) }
    }

    func diagnostic(field: String) -> Diagnostic? {
        diagnostics.first { $0.fieldPath == field }
    }

    var renderedDiagnostics: String { diagnostics.map(\.rendered).joined(separator: "\n") }
}

extension Diagnostic {
    var position: [Int] { [location.line, location.column] }
}

/// A fresh temporary folder, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "manifests-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    @discardableResult
    func write(_ relative: String, _ contents: String) throws -> String {
        try write(relative, data: Data(contents.utf8))
    }

    @discardableResult
    func write(_ relative: String, data: Data) throws -> String {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: full))
        return full
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

let minimalInstance = """
apiVersion: inference.selfhosted/v1
kind: Instance
metadata:
  name: small
spec:
  backend: llama_cpp
"""
