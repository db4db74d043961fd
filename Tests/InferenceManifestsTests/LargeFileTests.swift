import Foundation
import Testing
import InferenceModel
@testable import InferenceManifests

/// A generated GitOps file may hold up to 100,000 documents in up to 64 MiB.
@Suite struct LargeFileTests {
    /// Read and parsed in full; decoding 100,000 documents is left to the benchmark
    /// (scripts/bench/manifest_bench.py), as it takes tens of seconds in a debug build.
    @Test func aFileOfOneHundredThousandDocumentsNearSixtyFourMebibytesIsRead() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let count = YAMLDocumentReader.maximumDocuments
        // Comments make the file large without making it slow to parse.
        let padding = "# " + String(repeating: "x", count: 550) + "\n"
        let document = "--- {apiVersion: inference.selfhosted/v1, kind: Consumer, metadata: {name: c}, spec: {instance: i}}\n"
        let text = String(repeating: document + padding, count: count)
        #expect(text.utf8.count > 60 * 1024 * 1024 && text.utf8.count <= ManifestFileReader.maximumBytes)
        let path = try folder.write("all.yaml", text)
        guard case .text(let read) = ManifestFileReader.read(path: path, displayPath: "all.yaml") else {
            Issue.record("a file under 64 MiB was refused")
            return
        }
        var documents = 0
        var last: YAMLNode?
        let diagnostics = YAMLDocumentReader.read(read, file: "all.yaml") { document in
            documents += 1
            last = document
        }
        #expect(diagnostics.isEmpty, "\(diagnostics.prefix(3).map(\.rendered))")
        #expect(documents == count)
        #expect(last?.location == SourceLocation(file: "all.yaml", line: count * 2 - 1, column: 5))
    }

    @Test func documentsAfterABrokenOneKeepTheirLines() {
        let result = loadYAML("""
        apiVersion: inference.selfhosted/v1
        kind: Consumer
        metadata: {name: a}
        spec: {instance: [x}
        ---
        apiVersion: inference.selfhosted/v1
        kind: Consumer
        metadata: {name: b}
        spec: {instance: x, bogus: 1}
        ---
        kind: "unclosed
        ---
        apiVersion: inference.selfhosted/v1
        kind: Consumer
        metadata: {name: c}
        spec: {instance: x}
        """)
        #expect(result.diagnostics.map(\.position) == [[4, 20], [9, 21], [12, 1]], "\(result.renderedDiagnostics)")
        #expect(result.state.consumers.map(\.name) == ["c"])
    }
}
