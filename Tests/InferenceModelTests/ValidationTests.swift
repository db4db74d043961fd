import InferenceBackends
import InferenceModel
import Testing

@Suite("Cross-document validation rules")
struct ValidationTests {
    @Test func validStateHasNoDiagnostics() {
        let state = DesiredState(
            instances: [Fixture.instance("gemma", Fixture.llama()), Fixture.instance("sim", Fixture.sim())],
            consumers: [Fixture.consumer("agent", ConsumerSpec(instance: "gemma"))])
        #expect(Fixture.validate(state).isEmpty)
    }

    @Test func duplicateNamesPointAtTheSecondAndNameTheFirst() {
        let state = DesiredState(instances: [
            Fixture.instance("gemma", Fixture.llama(port: .fixed(1)), file: "a.yaml", line: 1),
            Fixture.instance("gemma", Fixture.llama(port: .fixed(2)), file: "b.yaml", line: 10),
        ])
        let diagnostics = Fixture.validate(state)
        #expect(diagnostics.count == 1)
        #expect(diagnostics[0].location == SourceLocation(file: "b.yaml", line: 11, column: 3))
        #expect(diagnostics[0].fieldPath == "metadata.name")
        #expect(diagnostics[0].message.contains("a.yaml:2"))
    }

    @Test func sameNameInDifferentKindsIsFine() {
        let state = DesiredState(instances: [Fixture.instance("x", Fixture.sim())],
                                 consumers: [Fixture.consumer("x", ConsumerSpec(instance: "x"))])
        #expect(Fixture.validate(state).isEmpty)
    }

    @Test func unknownBackendSuggestsTheClosest() {
        let state = DesiredState(instances: [Fixture.instance("a", InstanceSpec(backend: "llama_cp"))])
        let diagnostics = Fixture.validate(state)
        #expect(diagnostics.first?.fieldPath == "spec.backend")
        #expect(diagnostics.first?.hint == "did you mean 'llama_cpp'?")
    }

    @Test func startupKindMustBeTheBackends() {
        var spec = Fixture.llama()
        spec.startupKind = .attachExistingService
        let diagnostics = Fixture.validate(DesiredState(instances: [Fixture.instance("a", spec)]))
        #expect(diagnostics.map(\.fieldPath) == ["spec.startupKind"])
    }

    @Test func managementModeFollowsStartupKind() {
        var spec = Fixture.llama()
        spec.managementMode = .externallyManaged
        let diagnostics = Fixture.validate(DesiredState(instances: [Fixture.instance("a", spec)]))
        #expect(diagnostics.map(\.fieldPath) == ["spec.managementMode"])
        #expect(diagnostics[0].message.contains("spawned instance is managed"))
    }

    @Test func spawnedNeedsACommand() {
        let spec = InstanceSpec(backend: "openai_compatible", startupKind: .spawned, model: ModelSpec(identity: "m"))
        let diagnostics = Fixture.validate(DesiredState(instances: [Fixture.instance("a", spec)]))
        #expect(diagnostics.map(\.fieldPath) == ["spec.command"])
    }

    @Test func attachedMustNotHaveACommand() {
        var spec = Fixture.ollama()
        spec.command = ["ollama", "serve"]
        let diagnostics = Fixture.validate(DesiredState(instances: [Fixture.instance("a", spec)]))
        #expect(diagnostics.contains { $0.fieldPath == "spec.command" && $0.message.contains("never start") })
    }

    @Test func spawnedMustNotHaveAURL() {
        var spec = Fixture.llama()
        spec.url = "http://x"
        #expect(Fixture.validate(DesiredState(instances: [Fixture.instance("a", spec)])).map(\.fieldPath) == ["spec.url"])
    }

    @Test func executionSurfaceMustBeSupported() {
        var spec = Fixture.llama()
        spec.surface = .sshExec
        let diagnostics = Fixture.validate(DesiredState(instances: [Fixture.instance("a", spec)]))
        #expect(diagnostics.first?.message.hasPrefix("unsupported_execution_surface") == true)
    }

    @Test func unknownCommandPlaceholder() {
        let spec = InstanceSpec(backend: "openai_compatible", model: ModelSpec(identity: "m"), command: ["srv", "--port", "{prot}"])
        let diagnostics = Fixture.validate(DesiredState(instances: [Fixture.instance("a", spec)]))
        #expect(diagnostics.map(\.message) == ["unknown placeholder {prot}"])
    }

    @Test func backendRequiredFields() {
        let state = DesiredState(instances: [
            Fixture.instance("a", InstanceSpec(backend: "llama_cpp")),
            Fixture.instance("b", InstanceSpec(backend: "ollama")),
            Fixture.instance("c", InstanceSpec(backend: "openai_compatible", startupKind: .attachExistingService)),
        ])
        let fields = Fixture.validate(state).map(\.fieldPath)
        #expect(Set(fields) == ["spec.model.path", "spec.model.identity", "spec.url"])
    }

    @Test func twoManagedInstancesCannotShareAPort() {
        let state = DesiredState(instances: [
            Fixture.instance("a", Fixture.llama(port: .fixed(9000)), file: "a.yaml"),
            Fixture.instance("b", Fixture.llama(port: .fixed(9000), host: "0.0.0.0"), file: "b.yaml"),
            Fixture.instance("c", Fixture.llama(port: .fixed(9001)), file: "c.yaml"),
        ])
        let diagnostics = Fixture.validate(state)
        #expect(diagnostics.count == 1)
        #expect(diagnostics[0].location.file == "b.yaml")
        #expect(diagnostics[0].message.contains("instance 'a'"))
    }

    @Test(arguments: ["127.0.0.1", "0.0.0.0", "localhost", "192.168.1.20", "::1", "::", "fe80::1", "::ffff:192.0.2.1",
                      "2001:db8:0:0:0:0:0:1", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "FE80::A",
                      "255.255.255.255", "10.0.0.1"])
    func serverHostAcceptsLocalhostAndIPAddresses(host: String) {
        let state = DesiredState(instances: [Fixture.instance("a", Fixture.llama(host: host))])
        #expect(Fixture.validate(state).isEmpty, "\(Fixture.validate(state).map(\.rendered))")
    }

    @Test(arguments: ["example.com", "my-box", "", " 127.0.0.1", "LOCALHOST", "256.0.0.1", "127.0.0.01", "127.0.0", "1.2.3.4.5",
                      "fe80::1%eth0", "1::2::3", ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", ":1::", "::1:",
                      "::ffff:1.2.3", "1.2.3.4::", "*", "[::1]", "1.2.3.256", "300.1.1.1", "1..2.3", "1.2.3.", ".1.2.3",
                      "00.1.2.3", "1.2.3.4a", "\u{661}.2.3.4", "1.2.3.4\u{301}"])
    func serverHostRefusesNamesAndMalformedAddresses(host: String) throws {
        let state = DesiredState(instances: [Fixture.instance("a", Fixture.llama(host: host), file: "a.yaml")])
        let diagnostic = try #require(Fixture.validate(state).first { $0.fieldPath == "spec.server.host" })
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.location == SourceLocation(file: "a.yaml", line: 14, column: 3))
        #expect(diagnostic.message == "'\(host)' is not localhost or an IP address")
        #expect(diagnostic.hint != nil)
    }

    @Test func serverHostHintsSayWhatToWriteInstead() throws {
        let bracketed = Fixture.validate(DesiredState(instances: [Fixture.instance("a", Fixture.llama(host: "[::1]"))]))
        #expect(bracketed.first?.hint == "write an IPv6 address without brackets, e.g. ::1")
        var attached = Fixture.ollama()
        attached.server.host = "ollama.lan"
        let diagnostics = Fixture.validate(DesiredState(instances: [Fixture.instance("o", attached)]))
        #expect(diagnostics.first?.hint == "an attached instance is reached at spec.url; remove server.host")
    }

    @Test func autoPortsNeverCollide() {
        let state = DesiredState(instances: [Fixture.instance("a", Fixture.sim()), Fixture.instance("b", Fixture.sim())])
        #expect(Fixture.validate(state).isEmpty)
    }

    @Test func consumerReferences() {
        let state = DesiredState(
            instances: [Fixture.instance("gemma", Fixture.llama(), labels: ["tier": "small"])],
            consumers: [
                Fixture.consumer("a", ConsumerSpec(instance: "gema")),
                Fixture.consumer("b", ConsumerSpec()),
                Fixture.consumer("c", ConsumerSpec(instance: "gemma", selector: ["tier": "small"])),
                Fixture.consumer("d", ConsumerSpec(selector: ["tier": "large"])),
                Fixture.consumer("e", ConsumerSpec(selector: ["tier": "small"])),
            ])
        let diagnostics = Fixture.validate(state)
        #expect(diagnostics.count == 4)
        #expect(diagnostics.first { $0.message.contains("gema") }?.hint == "did you mean 'gemma'?")
    }

    @Test func incompatibleConsumerIsAnError() {
        let state = DesiredState(
            instances: [Fixture.instance("sim", Fixture.sim())],
            consumers: [Fixture.consumer("agent", ConsumerSpec(instance: "sim", requiredCapabilities: ["tool_calling": .supported(true)]))])
        let diagnostics = Fixture.validate(state)
        #expect(diagnostics.count == 1)
        #expect(diagnostics[0].severity == .error)
        #expect(diagnostics[0].message.hasPrefix("missing_capability"))
    }

    @Test func ollamaCapabilitiesAreDecidedAtRuntime() {
        let state = DesiredState(
            instances: [Fixture.instance("o", Fixture.ollama())],
            consumers: [Fixture.consumer("agent", ConsumerSpec(instance: "o", requiredCapabilities: ["tool_calling": .supported(true)]))])
        let diagnostics = Fixture.validate(state)
        #expect(diagnostics.map(\.severity) == [.warning])
    }

    @Test func customBackendCannotShadowABuiltin() {
        let backend = BackendDefinition(metadata: ObjectMetadata(name: "ollama"),
                                        spec: CustomBackendSpec(startupKind: .spawned, command: ["x"]), origin: Fixture.origin())
        let diagnostics = Fixture.validate(DesiredState(backends: [backend]))
        #expect(diagnostics.map(\.fieldPath) == ["metadata.name"])
    }

    @Test func customBackendDrivesItsInstances() {
        let backend = BackendDefinition(metadata: ObjectMetadata(name: "vllm"),
                                        spec: CustomBackendSpec(startupKind: .spawned, command: ["vllm", "serve", "{model.path}", "--port", "{port}"]),
                                        origin: Fixture.origin())
        let instance = Fixture.instance("v", InstanceSpec(backend: "vllm", model: ModelSpec(path: "/m", identity: "m")))
        #expect(Fixture.validate(DesiredState(backends: [backend], instances: [instance])).isEmpty)
        let attachedWithCommand = BackendDefinition(metadata: ObjectMetadata(name: "remote"),
            spec: CustomBackendSpec(startupKind: .attachExistingService, command: ["x"]), origin: Fixture.origin())
        #expect(Fixture.validate(DesiredState(backends: [attachedWithCommand])).map(\.fieldPath) == ["spec.command"])
    }

    @Test func diagnosticRendering() {
        let diagnostic = Diagnostic.error(at: SourceLocation(file: "m.yaml", line: 3, column: 5), field: "spec.server.ctxsize",
                                          "unknown field 'ctxsize'", hint: "did you mean 'ctxSize'?")
        #expect(diagnostic.rendered == "m.yaml:3:5: error: spec.server.ctxsize: unknown field 'ctxsize' (did you mean 'ctxSize'?)")
    }

    @Test func fieldPositionFallsBackToTheNearestParent() {
        let origin = Fixture.origin()
        #expect(origin.location(of: "spec.server.port.extra") == origin.fieldLocations["spec.server.port"])
        #expect(origin.location(of: "nothing.here") == origin.location)
    }
}
