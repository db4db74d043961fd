import Foundation
import Testing
import InferenceModel
@testable import InferenceManifests

@Suite struct DirectoryTests {
    func manifest(_ kind: String, _ name: String, spec: String = "{backend: llama_cpp}") -> String {
        "apiVersion: inference.selfhosted/v1\nkind: \(kind)\nmetadata: {name: \(name)}\nspec: \(spec)\n"
    }

    @Test func walksNestedFoldersInSortedOrderSkippingHiddenOnes() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("b.yml", manifest("Instance", "b"))
        try folder.write("a.yaml", manifest("Instance", "a"))
        try folder.write("nested/deeper/c.YAML", manifest("Instance", "c"))
        try folder.write("nested/d.yaml", manifest("Consumer", "d", spec: "{instance: a}"))
        try folder.write(".git/config.yaml", "not: [valid")
        try folder.write(".inferctl/state.yaml", "not: [valid")
        try folder.write(".hidden.yaml", "not: [valid")
        try folder.write("a.status.json", "{}")
        try folder.write("README.md", "# not a manifest")
        let result = ManifestLoader.load(directory: folder.path)
        #expect(result.diagnostics.isEmpty, "\(result.renderedDiagnostics)")
        #expect(result.files == ["a.yaml", "b.yml", "nested/d.yaml", "nested/deeper/c.YAML"].map { folder.path + "/" + $0 })
        #expect(result.state.instances.map(\.name) == ["a", "b", "c"])
        #expect(result.state.consumers.map(\.name) == ["d"])
    }

    @Test func displayPathsKeepTheDirectoryAsGiven() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("manifests/models.yaml", "kind: Instance\n")
        // A relative path to the folder, built without changing the process-wide current directory.
        let depth = FileManager.default.currentDirectoryPath.split(separator: "/").count
        let relative = String(repeating: "../", count: depth) + folder.path.dropFirst() + "/manifests"
        let result = ManifestLoader.load(directory: relative)
        #expect(result.files == [relative + "/models.yaml"])
        #expect(!result.diagnostics.isEmpty)
        #expect(result.diagnostics.allSatisfy { $0.location.file == relative + "/models.yaml" })
    }

    @Test func missingDirectoryIsOneError() {
        let result = ManifestLoader.load(directory: "/nonexistent/manifests-\(UUID().uuidString)")
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.message == "manifest directory does not exist")
        #expect(result.files.isEmpty)
    }

    @Test func symlinkLoopsAreNotFollowedForever() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("sub/x.yaml", manifest("Instance", "x"))
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/sub/loop", withDestinationPath: folder.path)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/sub/self", withDestinationPath: folder.path + "/sub")
        let result = ManifestLoader.load(directory: folder.path)
        #expect(result.state.instances.map(\.name) == ["x"])
    }

    /// A dozen mistakes over several files: every one is reported in the same pass.
    @Test func reportsEveryMistakeInEveryFile() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("instances.yaml", """
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata: {name: Bad_Name}
        spec:
          backend: llama_cpp
          server: {port: 70000, ctxsize: 1}
        ---
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata: {name: second}
        spec:
          server: {apiKey: plain-text}
          readiness: {timeout: forever}
        """)
        try folder.write("team/consumers.yml", """
        apiVersion: inference.selfhosted/v1
        kind: Consumer
        metadata: {name: agent}
        spec:
          acceptedProtocols: [openai_chat]
          startupKind: attached
        """)
        try folder.write("team/backends.yaml", """
        apiVersion: inference.selfhosted/v2
        kind: Backnd
        metadata: {name: custom}
        spec: {}
        """)
        try folder.write("broken.yaml", "kind: [oops\n")
        try folder.write("empty.yaml", "")
        try folder.write("binary.yaml", data: Data([0xff, 0xfe, 0x00]))
        let result = ManifestLoader.load(directory: folder.path)
        let expected: [(String, String)] = [
            ("instances.yaml", "metadata.name"),
            ("instances.yaml", "spec.server.port"),
            ("instances.yaml", "spec.server.ctxsize"),
            ("instances.yaml", "spec.backend"),
            ("instances.yaml", "spec.server.apiKey"),
            ("instances.yaml", "spec.readiness.timeout"),
            ("team/consumers.yml", "spec.acceptedProtocols[0]"),
            ("team/consumers.yml", "spec.startupKind"),
            ("team/backends.yaml", "apiVersion"),
            ("team/backends.yaml", "kind"),
            ("broken.yaml", ""),
            ("empty.yaml", ""),
            ("binary.yaml", ""),
        ]
        for (file, field) in expected {
            let found = result.diagnostics.contains { $0.location.file == folder.path + "/" + file && $0.fieldPath == field }
            #expect(found, "missing \(file) \(field)\n\(result.renderedDiagnostics)")
        }
        #expect(result.diagnostics.count == expected.count, "\(result.renderedDiagnostics)")
        #expect(result.diagnostics == result.diagnostics.sortedForDisplay)
        #expect(result.state == DesiredState())
    }
}
