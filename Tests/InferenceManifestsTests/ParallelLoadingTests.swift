import Foundation
import Testing
import InferenceModel
@testable import InferenceManifests

/// Files and runs of documents are decoded on several threads; what comes out (objects,
/// diagnostics, their order) must be what one pass over everything gives.
@Suite struct ParallelLoadingTests {
    static func instance(_ index: Int, extra: String = "") -> String {
        """
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata:
          name: inst-\(index)
          labels: {group: g\(index % 7)}
        spec:
          backend: simulation
          model: {identity: sim-\(index)}
          server: {port: auto, ctxSize: 2048}\(extra)

        """
    }

    static func consumer(_ index: Int) -> String {
        "apiVersion: inference.selfhosted/v1\nkind: Consumer\nmetadata: {name: cons-\(index)}\nspec: {instance: inst-\(index)}\n"
    }

    /// Documents with problems of every kind but syntax: unknown fields, repeated keys, wrong types,
    /// undefined aliases, warnings, empty documents, anchors that are used.
    static func mixedText(documents: Int) -> String {
        (0..<documents).map { index -> String in
            switch index % 9 {
            case 1: "---\n" + instance(index, extra: "\n  bogus: 1")
            case 2: "---\n" + consumer(index).replacingOccurrences(of: "metadata:", with: "metadata: {name: x}\nmetadata:")
            case 3: "---\n" + instance(index).replacingOccurrences(of: "ctxSize: 2048", with: "ctxSize: big")
            case 4: "---\n" + consumer(index).replacingOccurrences(of: "inst-\(index)}", with: "*nowhere}")
            case 5: "---\n" + instance(index).replacingOccurrences(of: "{identity:", with: "{path: ../m.gguf, identity:")
            case 6: "---\n---\n" + consumer(index)
            case 7: "---\n" + instance(index).replacingOccurrences(of: "{port: auto", with: "&server {port: auto")
            default: "---\n" + consumer(index)
            }
        }.joined()
    }

    static func onePass(_ text: String) -> LoadedText {
        ManifestLoader.loadInOnePass(text, file: "all.yaml", baseDirectory: "/base")
    }

    static func chunked(_ text: String, workers: Int) -> LoadedText? {
        ChunkedLoad.load(text, file: "all.yaml", baseDirectory: "/base", workers: workers, minimumBytes: 0)
    }

    @Test(arguments: [2, 3, 8])
    func runsOfDocumentsDecodeToWhatOnePassGives(workers: Int) throws {
        let text = Self.mixedText(documents: 400)
        let chunked = try #require(Self.chunked(text, workers: workers))
        let whole = Self.onePass(text)
        #expect(chunked.state == whole.state)
        #expect(chunked.diagnostics == whole.diagnostics)
        #expect(whole.diagnostics.count > 100 && whole.state.instances.count > 50)
    }

    @Test func aSyntaxErrorIsLeftToOnePass() {
        var text = Self.mixedText(documents: 200)
        text += "---\nkind: \"unclosed\n" + Self.mixedText(documents: 50)
        #expect(Self.chunked(text, workers: 2) == nil)
        let loaded = ManifestLoader.loadText(text, file: "all.yaml", baseDirectory: "/base", workers: 2)
        let whole = Self.onePass(text)
        #expect(loaded.diagnostics == whole.diagnostics)
        #expect(loaded.state == whole.state)
    }

    @Test func aliasRepeatsPastTheFileBudgetAreLeftToOnePass() {
        // Each document repeats about 15,700 values through aliases; together they pass the file's budget.
        let document = HostileInputTests.billionLaughs(levels: 3)
        let count = YAMLDocumentReader.aliasBudgetPerFile / 15_000 + 2
        let text = Array(repeating: document, count: count).joined(separator: "\n---\n")
        #expect(Self.chunked(text, workers: 2) == nil)
    }

    @Test func chunksStartAtDocumentLinesAndKnowTheirLineNumbers() throws {
        let text = Self.mixedText(documents: 60)
        var copy = text
        let chunks = try #require(copy.withUTF8 { DocumentChunks.split($0, size: 300) })
        #expect(chunks.count > 5)
        let bytes = Array(text.utf8)
        var expectedStart = 0
        for chunk in chunks {
            #expect(chunk.range.lowerBound == expectedStart)
            #expect(chunk.firstLine == 1 + bytes[..<chunk.range.lowerBound].filter { $0 == UInt8(ascii: "\n") }.count)
            if chunk.range.lowerBound > 0 {
                #expect(bytes[chunk.range.lowerBound..<chunk.range.lowerBound + 3] == [45, 45, 45][...])
                #expect(bytes[chunk.range.lowerBound - 1] == UInt8(ascii: "\n"))
            }
            expectedStart = chunk.range.upperBound
        }
        #expect(expectedStart == bytes.count)
    }

    @Test(arguments: ["\r\n", "\u{2028}", "\u{0085}"])
    func aTextWithOtherLineBreaksIsNotCut(lineBreak: String) {
        var text = Self.mixedText(documents: 60) + "# a comment" + lineBreak + "---\n" + Self.consumer(1)
        #expect(text.withUTF8 { DocumentChunks.split($0, size: 300) } == nil)
    }

    @Test func aDirectoryReadOnSeveralThreadsGivesWhatOneGives() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        for index in 0..<120 {
            let text = index % 11 == 3 ? "kind: [unclosed\n" : Self.mixedText(documents: 3).replacingOccurrences(of: "-1", with: "-\(index)1")
            try folder.write("part\(index % 4)/m\(index).yaml", text)
        }
        try folder.write("big.yaml", Self.mixedText(documents: 4000))  // past ChunkedLoad.minimumBytes
        let one = ManifestLoader.load(directory: folder.path, workers: 1)
        let several = ManifestLoader.load(directory: folder.path, workers: 4)
        #expect(several.state == one.state)
        #expect(several.diagnostics == one.diagnostics)
        #expect(several.files == one.files)
    }
}
