import Testing
import InferenceModel
@testable import InferenceManifests

@Test func printsDiagnostics() {
    let result = loadYAML("""
    apiVersion: inference.selfhosted/v1
    kind: Instance
    metadata:
      name: Small_Model
    spec:
      backend: llama_cpp
      server:
        port: "abc"
        ctxsize: 4096
        threads: [1]
        apiKey: sk-123
      readiness: {timeout: 30 seconds}
      command: [a, b, {x: 1}]
    ---
    kind: Instnace
    ---
    - a
    """)
    print(result.renderedDiagnostics)
}
