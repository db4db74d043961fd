import InferenceModel
import Testing
@testable import InferenceManifests

/// Every repeated key of a document is reported, each at its own line and column.
@Suite struct DuplicateKeyTests {
    func duplicatePositions(_ result: ManifestLoadResult) -> [[Int]] {
        result.diagnostics.filter { $0.message.hasPrefix("duplicate key") }.map(\.position).sorted { $0.lexicographicallyPrecedes($1) }
    }

    @Test func everyRepeatInEveryMapIsReported() {
        let result = loadYAML("""
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata:
          name: twice
          name: again
        spec:
          backend: llama_cpp
          server: {port: 8080, "port": 8081}
          backend: simulation
          server:
            host: 0.0.0.0
            host: 127.0.0.1
            host: ::1
        """)
        #expect(duplicatePositions(result) == [[5, 3], [8, 24], [9, 3], [10, 3], [12, 5], [13, 5]], "\(result.renderedDiagnostics)")
        #expect(result.diagnostics.allSatisfy { $0.message.hasPrefix("duplicate key") }, "\(result.renderedDiagnostics)")
        #expect(result.state.instances.isEmpty)
    }

    @Test func eachRepeatNamesItsKeyAndTheFirstOccurrence() {
        let result = loadYAML("""
        apiVersion: inference.selfhosted/v1
        kind: Instance
        kind: Consumer
        metadata: {name: a, name: b}
        """)
        let messages = result.diagnostics.map(\.message)
        #expect(messages.contains("duplicate key 'kind' in the same map, first at 2:1"), "\(result.renderedDiagnostics)")
        #expect(messages.contains("duplicate key 'name' in the same map, first at 4:12"), "\(result.renderedDiagnostics)")
    }

    @Test func repeatsAreReportedInDocumentsWithAliases() {
        let result = loadYAML("""
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata: {name: a, labels: &l {x: y}, name: b}
        spec: {backend: simulation, backend: llama_cpp}
        extra: *l
        """)
        #expect(duplicatePositions(result) == [[3, 40], [4, 29]], "\(result.renderedDiagnostics)")
    }

    @Test func aRepeatInAMapUsedThroughAliasesIsReportedOnce() {
        let result = loadYAML("""
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata: {name: a, labels: &l {x: y, x: z}, annotations: *l}
        spec: {backend: simulation}
        extra: [*l, *l]
        """)
        #expect(duplicatePositions(result) == [[3, 39]], "\(result.renderedDiagnostics)")
    }

    @Test func otherDocumentsOfTheFileStillLoad() {
        let result = loadYAML("""
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata: {name: a}
        spec: {backend: simulation, backend: simulation}
        ---
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata: {name: b}
        spec: {backend: simulation}
        """)
        #expect(duplicatePositions(result) == [[4, 29]], "\(result.renderedDiagnostics)")
        #expect(result.state.instances.map(\.name) == ["b"])
    }

    @Test func aThousandRepeatsAreCutOffNotHung() {
        let repeats = Array(repeating: "  backend: simulation", count: 1000).joined(separator: "\n")
        let result = loadYAML("apiVersion: inference.selfhosted/v1\nkind: Instance\nmetadata: {name: a}\nspec:\n" + repeats)
        #expect(result.diagnostic("duplicate key 'backend'") != nil, "\(result.renderedDiagnostics)")
        #expect(result.state.instances.isEmpty)
    }
}
