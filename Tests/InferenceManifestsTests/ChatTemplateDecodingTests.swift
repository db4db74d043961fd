import Testing
import InferenceModel
@testable import InferenceManifests

/// `spec.server.chatTemplate`: a built-in template name or a whole Jinja template, passed through as written.
@Suite struct ChatTemplateDecodingTests {
    func instance(server: String) -> ManifestLoadResult {
        loadYAML(minimalInstance + "\n  server:\n" + server + "\n")
    }

    @Test func aBuiltInNameDecodes() throws {
        let result = instance(server: "    chatTemplate: gemma")
        #expect(result.diagnostics.isEmpty, "\(result.renderedDiagnostics)")
        #expect(try #require(result.state.instances.first).spec.server.chatTemplate == "gemma")
    }

    @Test func aJinjaTemplateKeepsItsLines() throws {
        let result = instance(server: """
            chatTemplate: |
              {% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}
              <|assistant|>
        """)
        #expect(result.diagnostics.isEmpty, "\(result.renderedDiagnostics)")
        #expect(try #require(result.state.instances.first).spec.server.chatTemplate
                == "{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}\n<|assistant|>\n")
    }

    @Test func aListIsReportedAtItsLine() throws {
        let result = instance(server: "    chatTemplate: [gemma]")
        let diagnostic = try #require(result.diagnostic(field: "spec.server.chatTemplate"), "\(result.renderedDiagnostics)")
        #expect(diagnostic.message.contains("list"), "\(diagnostic.rendered)")
        #expect(diagnostic.position == [8, 19])
    }

    @Test func aMisspellingSuggestsTheField() {
        let result = instance(server: "    chattemplate: gemma")
        #expect(result.diagnostic("unknown field 'chattemplate'")?.hint == "did you mean 'chatTemplate'?", "\(result.renderedDiagnostics)")
    }
}
