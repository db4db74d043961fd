import Testing
import InferenceModel
@testable import InferenceManifests

/// Structural rules, each checked at its line and column.
@Suite struct FieldRuleTests {
    func instance(spec: String, name: String = "probe") -> ManifestLoadResult {
        loadYAML("""
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata:
          name: \(name)
        spec:
        \(spec)
        """)
    }

    @Test func unknownFieldSuggestsTheClosestKey() throws {
        let result = instance(spec: """
          backend: llama_cpp
          server:
            ctxsize: 4096
            gpu_layers: 10
            flavour: x
        """)
        let ctx = try #require(result.diagnostic("unknown field 'ctxsize'"))
        #expect(ctx.hint == "did you mean 'ctxSize'?")
        #expect(ctx.position == [8, 5])
        #expect(ctx.fieldPath == "spec.server.ctxsize")
        #expect(result.diagnostic("unknown field 'gpu_layers'")?.hint == "did you mean 'gpuLayers'?")
        #expect(result.diagnostic("unknown field 'flavour'")?.hint == nil)
        #expect(result.state.instances.isEmpty)
    }

    @Test func unknownTopLevelAndMetadataFields() {
        let result = loadYAML("""
        apiVersion: inference.selfhosted/v1
        kind: Consumer
        metadata: {name: c, namespace: x, label: {a: b}}
        specs: {}
        """)
        #expect(result.diagnostic("unknown field 'specs'")?.hint == "did you mean 'spec'?")
        #expect(result.diagnostic("unknown field 'specs'")?.position == [4, 1])
        #expect(result.diagnostic("unknown field 'label'")?.hint == "did you mean 'labels'?")
        #expect(result.diagnostic("unknown field 'namespace'")?.position == [3, 21])
    }

    @Test func wrongTypesReportTheValue() {
        let result = instance(spec: """
          backend: llama_cpp
          server:
            port: "abc"
            threads: [1]
            flashAttn: yes please
            extraArgs: --jinja
        """)
        #expect(result.diagnostic(field: "spec.server.port")?.message == "expected a port, found a string 'abc'")
        #expect(result.diagnostic(field: "spec.server.port")?.position == [8, 11])
        #expect(result.diagnostic(field: "spec.server.threads")?.message == "expected a whole number, found a list")
        #expect(result.diagnostic(field: "spec.server.threads")?.position == [9, 14])
        #expect(result.diagnostic(field: "spec.server.flashAttn")?.message.hasPrefix("expected true or false") == true)
        #expect(result.diagnostic(field: "spec.server.extraArgs")?.message == "expected a list, found a string '--jinja'")
    }

    @Test func quotedNumbersAreStrings() {
        let result = instance(spec: "  backend: llama_cpp\n  server: {port: \"8080\"}")
        #expect(result.diagnostic(field: "spec.server.port")?.message == "expected a port, found a string '8080'")
    }

    @Test func portsAreInRangeOrAuto() {
        for (port, ok) in [("0", false), ("65536", false), ("-1", false), ("1", true), ("65535", true), ("auto", true)] {
            let result = instance(spec: "  backend: llama_cpp\n  server:\n    port: \(port)")
            #expect(result.diagnostics.isEmpty == ok, "port \(port): \(result.renderedDiagnostics)")
            if !ok { #expect(result.diagnostic(field: "spec.server.port")?.position == [8, 11]) }
        }
    }

    @Test func negativeCountsAreRefused() {
        let result = instance(spec: """
          backend: llama_cpp
          server: {ctxSize: -4096, threads: 0, gpuLayers: -2}
          health: {failureThreshold: -1}
        """)
        #expect(result.diagnostic(field: "spec.server.ctxSize")?.message == "must not be negative, found -4096")
        #expect(result.diagnostic(field: "spec.server.ctxSize")?.position == [7, 21])
        #expect(result.diagnostic(field: "spec.server.threads")?.message == "must be at least 1, found 0")
        #expect(result.diagnostic(field: "spec.server.gpuLayers")?.message == "must not be negative, found -2")
        #expect(result.diagnostic(field: "spec.health.failureThreshold") != nil)
    }

    @Test func badEnumValuesListTheAllowedOnes() throws {
        let result = instance(spec: """
          backend: llama_cpp
          startupKind: spawn
          managementMode: self
          restart: {policy: always}
          stop: {signal: TERM}
          surface: ssh
        """)
        let startup = try #require(result.diagnostic(field: "spec.startupKind"))
        #expect(startup.message == "'spawn' is not one of 'spawned', 'attach_existing_service'")
        #expect(startup.hint == "did you mean 'spawned'?")
        #expect(startup.position == [7, 16])
        #expect(result.diagnostic(field: "spec.managementMode")?.message == "'self' is not one of 'managed', 'externally_managed'")
        #expect(result.diagnostic(field: "spec.restart.policy")?.hint == "did you mean 'Always'?")
        #expect(result.diagnostic(field: "spec.stop.signal")?.message.contains("'SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP'") == true)
        #expect(result.diagnostic(field: "spec.surface") != nil)
    }

    @Test func badDurationsHintAtTheSyntax() throws {
        let result = instance(spec: """
          backend: llama_cpp
          readiness:
            timeout: 30 seconds
            stallTimeout: 90
          activation: {mode: OnDemand, idleTimeout: soon}
        """)
        let timeout = try #require(result.diagnostic(field: "spec.readiness.timeout"))
        #expect(timeout.message == "'30 seconds' is not a duration")
        #expect(timeout.hint == "use 500ms, 30s, 5m, 1h30m")
        #expect(timeout.position == [8, 14])
        #expect(result.diagnostic(field: "spec.readiness.stallTimeout")?.message == "'90' is not a duration (a bare number has no unit)")
        #expect(result.diagnostic(field: "spec.activation.idleTimeout")?.position == [10, 45])
    }

    @Test func namesAreDNSLabels() {
        let cases: [(String, Bool)] = [
            ("ok-name-1", true), ("Upper", false), ("under_score", false), ("-lead", false), ("trail-", false),
            ("\"\"", false), (String(repeating: "a", count: 63), true), (String(repeating: "a", count: 64), false),
        ]
        for (name, ok) in cases {
            let result = instance(spec: "  backend: llama_cpp", name: name)
            #expect(result.diagnostics.isEmpty == ok, "\(name): \(result.renderedDiagnostics)")
            if !ok { #expect(result.diagnostic(field: "metadata.name")?.position == [4, 9]) }
        }
        #expect(instance(spec: "  backend: llama_cpp", name: "My_Model").diagnostic(field: "metadata.name")?.hint
                == "use lowercase letters, digits and '-', e.g. 'my-model'")
    }

    @Test func inlineSecretsAreRefusedWithoutEchoingThem() throws {
        let result = instance(spec: """
          backend: llama_cpp
          server:
            apiKey: sk-very-secret
            env:
              OPENAI_API_KEY: sk-also-secret
              Hf_Token: hf_abc
              LOG_LEVEL: debug
              DB_PASSWORD: {env: DB_PASSWORD}
        """)
        let apiKey = try #require(result.diagnostic(field: "spec.server.apiKey"))
        #expect(apiKey.message == "secrets are referenced, never written inline")
        #expect(apiKey.hint == "use {env: NAME} or {file: PATH}")
        #expect(apiKey.position == [8, 13])
        #expect(result.diagnostic(field: "spec.server.env.OPENAI_API_KEY")?.position == [10, 23])
        #expect(result.diagnostic(field: "spec.server.env.Hf_Token") != nil)
        #expect(result.diagnostic(field: "spec.server.env.LOG_LEVEL") == nil)
        #expect(result.diagnostic(field: "spec.server.env.DB_PASSWORD") == nil)
        #expect(!result.renderedDiagnostics.contains("secret-"), "secret values must not be printed")
        #expect(!result.renderedDiagnostics.contains("hf_abc"))
    }

    @Test func secretReferenceHasExactlyOneSource() {
        let both = instance(spec: "  backend: llama_cpp\n  server:\n    apiKey: {env: A, file: b}")
        #expect(both.diagnostic(field: "spec.server.apiKey")?.message == "a secret reference has exactly one of 'env' or 'file'")
        #expect(both.diagnostic(field: "spec.server.apiKey")?.position == [8, 13])
        let neither = instance(spec: "  backend: llama_cpp\n  server:\n    apiKey: {}")
        #expect(neither.diagnostic(field: "spec.server.apiKey") != nil)
        let typo = instance(spec: "  backend: llama_cpp\n  server:\n    apiKey: {env: A, fiel: b}")
        #expect(typo.diagnostic("unknown field 'fiel'")?.hint == "did you mean 'file'?")
        let badName = instance(spec: "  backend: llama_cpp\n  server:\n    apiKey: {env: 1ABC}")
        #expect(badName.diagnostic(field: "spec.server.apiKey.env") != nil)
    }

    @Test func requiredFields() {
        let noBackend = instance(spec: "  model: {identity: x}")
        let missing = noBackend.diagnostic(field: "spec.backend")
        #expect(missing?.message == "required field 'backend' is missing")
        #expect(missing?.position == [5, 1])
        let noSpec = loadYAML("apiVersion: inference.selfhosted/v1\nkind: Instance\nmetadata: {name: a}\n")
        #expect(noSpec.diagnostic(field: "spec")?.message == "required field 'spec' is missing")
        let backend = loadYAML("apiVersion: inference.selfhosted/v1\nkind: Backend\nmetadata: {name: b}\nspec: {probePath: /x}\n")
        #expect(backend.diagnostic(field: "spec.startupKind")?.message == "required field 'startupKind' is missing")
        #expect(backend.diagnostic(field: "spec.startupKind")?.position == [4, 1])
        let noName = loadYAML("apiVersion: inference.selfhosted/v1\nkind: Consumer\nmetadata: {labels: {a: b}}\n")
        #expect(noName.diagnostic(field: "metadata.name")?.position == [3, 1])
    }

    @Test func apiVersionAndKind() {
        let result = loadYAML("apiVersion: inference.selfhosted/v2\nkind: instance\nmetadata: {name: a}\nspec: {backend: x}\n")
        #expect(result.diagnostic(field: "apiVersion")?.position == [1, 13])
        #expect(result.diagnostic(field: "apiVersion")?.hint == "write apiVersion: inference.selfhosted/v1")
        #expect(result.diagnostic(field: "kind")?.hint == "did you mean 'Instance'?")
        #expect(result.diagnostic(field: "kind")?.position == [2, 7])
        #expect(result.diagnostic("unknown field 'spec'") == nil)
    }

    @Test func capabilityTypos() {
        let result = loadYAML("""
        apiVersion: inference.selfhosted/v1
        kind: Consumer
        metadata: {name: c}
        spec:
          requiredCapabilities: {streaming: maybe, tool_caling: true}
          optionalCapabilities: 3
        """)
        #expect(result.diagnostic(field: "spec.requiredCapabilities.streaming")?.position == [5, 37])
        let typo = result.diagnostics.first { $0.severity == .warning }
        #expect(typo?.hint == "did you mean 'tool_calling'?")
        #expect(result.diagnostic(field: "spec.optionalCapabilities") != nil)
    }

    @Test func mergeKeysExplainThemselves() {
        let result = loadYAML("""
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata: {name: a}
        base: &base {backend: llama_cpp}
        spec:
          <<: *base
        """)
        #expect(result.diagnostic("unknown field '<<'")?.hint == "merge keys (<<) are not supported; write the fields out")
    }
}
