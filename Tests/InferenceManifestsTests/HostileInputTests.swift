import Foundation
import Testing
import InferenceModel
@testable import InferenceManifests

/// Inputs meant to crash, hang or exhaust the loader. Each must come back with a diagnostic.
@Suite struct HostileInputTests {
    /// Nine levels of nine aliases: 9^9 values if walked naively.
    static func billionLaughs(levels: Int = 9, asKey: Bool = false) -> String {
        var lines = ["apiVersion: inference.selfhosted/v1", "kind: Instance", "metadata: {name: lol}", "lols:",
                     "  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...levels {
            let previous = Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ")
            lines.append("  l\(level): &l\(level) [\(previous)]")
        }
        lines.append(asKey ? "bomb: {? *l\(levels) : x}" : "spec: {backend: *l\(levels)}")
        return lines.joined(separator: "\n")
    }

    @Test func billionLaughsIsCutOffByTheNodeBudget() {
        let result = loadYAML(Self.billionLaughs())
        let diagnostic = result.diagnostic("document expands to too many nodes (aliases?)")
        #expect(diagnostic != nil, "\(result.renderedDiagnostics)")
        #expect(diagnostic?.position == [1, 1])
        #expect(result.state.instances.isEmpty)
    }

    @Test func aliasBombUsedAsAKeyIsRefusedBeforeItIsExpanded() {
        let result = loadYAML(Self.billionLaughs(asKey: true))
        let diagnostic = result.diagnostic("an alias cannot be used as a mapping key")
        #expect(diagnostic != nil, "\(result.renderedDiagnostics)")
        #expect(diagnostic?.position == [15, 10])
    }

    @Test func aliasAsAnImplicitBlockKeyIsRefused() {
        let result = loadYAML("""
        base: &base [a, b]
        *base : value
        """)
        #expect(result.diagnostic("an alias cannot be used as a mapping key")?.position == [2, 1])
    }

    @Test func collectionKeysAreRefused() {
        let result = loadYAML("""
        apiVersion: inference.selfhosted/v1
        ? [a, b]
        : value
        """)
        #expect(result.diagnostic("mapping keys must be plain strings")?.position == [2, 3])
    }

    @Test func smallAliasesStillWork() {
        let result = loadYAML("""
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata:
          name: shared
          labels: &labels {team: ml}
          annotations: *labels
        spec:
          backend: llama_cpp
        """)
        #expect(result.diagnostics.isEmpty, "\(result.renderedDiagnostics)")
        #expect(result.state.instances.first?.metadata.annotations == ["team": "ml"])
    }

    @Test func eightyMegabyteFileIsRefusedBeforeReading() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.path + "/huge.yaml"
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 80 * 1024 * 1024)  // sparse: 80 MiB without writing them
        try handle.close()
        let result = ManifestLoader.load(directory: folder.path)
        let diagnostic = try #require(result.diagnostic("file is too large"))
        #expect(diagnostic.message.contains("80 MiB (83886080 bytes)"))
        #expect(diagnostic.message.contains("the limit is 64 MiB"))
        #expect(diagnostic.location.file == folder.path + "/huge.yaml")
    }

    @Test func largeTextHandedDirectlyIsRefused() {
        let text = String(repeating: "# padding\n", count: 7_000_000)
        #expect(loadYAML(text).diagnostic("file is too large") != nil)
    }

    @Test func binaryFilesAreNotText() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("nul.yaml", data: Data([0x6b, 0x69, 0x6e, 0x64, 0x00, 0x01, 0x02]))
        try folder.write("latin1.yaml", data: Data([0x6b, 0x3a, 0x20, 0xe9, 0xff, 0x0a]))
        let result = ManifestLoader.load(directory: folder.path)
        #expect(result.diagnostics.filter { $0.message.hasPrefix("not a text file") }.count == 2, "\(result.renderedDiagnostics)")
        #expect(loadYAML("kind: \0").diagnostic("not a text file") != nil)
    }

    @Test func emptyFileHasNoDocuments() {
        for text in ["", "\n\n", "# only a comment\n", "---\n---\n...\n"] {
            let result = loadYAML(text)
            #expect(result.diagnostics.count == 1)
            #expect(result.diagnostic("file has no manifest documents")?.position == [1, 1])
        }
    }

    @Test func malformedYAMLReportsLibYAMLsPosition() {
        let result = loadYAML("""
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata: {name: broken
        spec:
          backend: llama_cpp
        """)
        let diagnostic = result.diagnostics.first
        #expect(diagnostic?.message.hasPrefix("invalid YAML") == true, "\(result.renderedDiagnostics)")
        #expect(diagnostic?.location.line == 4)
    }

    @Test func unclosedQuoteIsASyntaxError() {
        let result = loadYAML("kind: \"Instance\nmetadata: {}\n")
        #expect(result.diagnostics.first?.message.hasPrefix("invalid YAML") == true)
    }

    @Test func duplicateKeysPointAtTheSecondOne() {
        let result = loadYAML("""
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata:
          name: twice
        spec:
          backend: llama_cpp
          server:
            port: 8080
            host: 0.0.0.0
            port: 8081
        """)
        let diagnostic = result.diagnostic("duplicate key 'port'")
        #expect(diagnostic?.position == [10, 5], "\(result.renderedDiagnostics)")
    }

    @Test func tabsInIndentationGetAHint() {
        let result = loadYAML("kind: Instance\nspec:\n\tbackend: llama_cpp\n")
        let diagnostic = result.diagnostics.first
        #expect(diagnostic?.hint == "YAML indents with spaces, not tabs", "\(result.renderedDiagnostics)")
        #expect(diagnostic?.position == [3, 1])
    }

    @Test func scalarAndListDocumentsAreNotManifests() {
        let result = loadYAML("just a sentence\n---\n- a\n- b\n")
        #expect(result.diagnostics.count == 2)
        #expect(result.diagnostics.map(\.position) == [[1, 1], [3, 1]])
        #expect(result.diagnostics.allSatisfy { $0.message.hasPrefix("expected a map") })
        #expect(result.diagnostics[0].message.contains("a string 'just a sentence'"))
    }

    @Test func deepNestingIsRefusedByTheParser() {
        let depth = 5000
        let text = "spec: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let result = loadYAML(text)
        #expect(result.diagnostic("invalid YAML") != nil)
    }

    @Test func nestingJustUnderTheParserLimitIsReadWithoutCrashing() {
        let depth = 900
        let text = "spec: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let result = loadYAML(text)
        #expect(result.diagnostic(field: "spec")?.message == "expected a map, found a list")
    }

    @Test func manyTinyDocumentsAreBounded() {
        let text = String(repeating: "--- {a: 1}\n", count: YAMLDocumentReader.maximumDocuments + 5)
        var read = 0
        let diagnostics = YAMLDocumentReader.read(text, file: "m.yaml") { _ in read += 1 }
        #expect(read == YAMLDocumentReader.maximumDocuments)
        #expect(diagnostics.map(\.message) == ["file has more than 100000 documents; the rest were not read"])
        #expect(diagnostics.first?.location.line == YAMLDocumentReader.maximumDocuments + 1)
    }

    @Test func emptyDocumentsDoNotCountAgainstTheLimit() {
        let text = String(repeating: "---\n", count: YAMLDocumentReader.maximumDocuments + 5) + "--- {a: 1}\n"
        var read = 0
        let diagnostics = YAMLDocumentReader.read(text, file: "m.yaml") { _ in read += 1 }
        #expect(read == 1)
        #expect(diagnostics.isEmpty)
    }

    @Test func aliasRepeatsAreBoundedPerFile() {
        // Each document stays under its own budget; together they pass the file's.
        let document = HostileInputTests.billionLaughs(levels: 3)  // about 15,700 values repeated by aliases
        let count = YAMLDocumentReader.aliasBudgetPerFile / 15_000 + 2
        let text = Array(repeating: document, count: count).joined(separator: "\n---\n")
        let diagnostics = YAMLDocumentReader.read(text, file: "m.yaml") { _ in }
        #expect(diagnostics.contains { $0.message == "document expands to too many nodes (aliases?)" })
    }

    @Test func undefinedAliasIsReported() {
        let result = loadYAML("kind: *nowhere\n")
        #expect(result.diagnostic("undefined alias") != nil, "\(result.renderedDiagnostics)")
    }

    @Test func fifoNamedYamlIsNotOpened() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        #expect(mkfifo(folder.path + "/pipe.yaml", 0o600) == 0)
        let result = ManifestLoader.load(directory: folder.path)
        #expect(result.diagnostic("not a regular file") != nil)
    }
}
