import Foundation
import SelfHostedInferenceCore
import Testing

/// `register(backend:)`: checked at once, then merged with the directory's `kind: Backend`s.
@Suite struct RegistrationTests {
    let gateway = BackendDefinition(name: "gateway", spec: CustomBackendSpec(startupKind: .attachExistingService))

    @Test func aRegisteredBackendMakesTheDirectoryValid() throws {
        let folder = try ManifestFolder("registered")
        defer { folder.remove() }
        try folder.write("gw.yaml", YAML.attached("gw", backend: "gateway", url: "http://127.0.0.1:9/v1"))
        let kernel = InferenceKernel(directory: folder.path)
        #expect(!kernel.manifests().isValid, "unknown backend before registration")
        try kernel.register(backend: gateway)
        let manifests = kernel.manifests()
        #expect(manifests.isValid, "\(manifests.diagnostics.map(\.rendered))")
        #expect(manifests.registry.backendNames.contains("gateway"))
        #expect(kernel.registeredBackends == [gateway])
    }

    @Test func declaredIdenticallyInTheDirectoryTooCountsOnce() throws {
        let folder = try ManifestFolder("declared-too")
        defer { folder.remove() }
        try folder.write("backend.yaml", """
            apiVersion: inference.selfhosted/v1
            kind: Backend
            metadata: {name: gateway}
            spec: {startupKind: attach_existing_service}

            """)
        let kernel = InferenceKernel(directory: folder.path)
        try kernel.register(backend: gateway)
        #expect(kernel.manifests().isValid, "\(kernel.manifests().diagnostics.map(\.rendered))")

        let different = InferenceKernel(directory: folder.path)
        try different.register(backend: BackendDefinition(name: "gateway", spec: CustomBackendSpec(startupKind: .attachExistingService,
                                                                                                    probePath: "/health")))
        let clash = different.manifests().diagnostics.errors.map(\.message)
        #expect(clash.contains { $0.contains("'gateway' is already declared") }, "\(clash)")
    }

    @Test func refusedAtOnce() async throws {
        let kernel = InferenceKernel(directory: NSTemporaryDirectory())
        let refusals: [BackendDefinition] = [
            BackendDefinition(name: "simulation", spec: CustomBackendSpec(startupKind: .attachExistingService)),
            BackendDefinition(name: "Not A Name", spec: CustomBackendSpec(startupKind: .attachExistingService)),
            BackendDefinition(name: "attached-with-command", spec: CustomBackendSpec(startupKind: .attachExistingService, command: ["x"])),
            BackendDefinition(name: "relative-probe", spec: CustomBackendSpec(startupKind: .attachExistingService, probePath: "health")),
        ]
        for backend in refusals {
            let failure = await kernelFailure { () throws(InferenceKernelError) in try kernel.register(backend: backend) }
            guard case .invalidBackend(let name, let diagnostics)? = failure else {
                Issue.record("\(backend.name): \(String(describing: failure))")
                continue
            }
            #expect(name == backend.name)
            #expect(!diagnostics.errors.isEmpty)
        }
        try kernel.register(backend: gateway)
        #expect(throws: InferenceKernelError.self) { try kernel.register(backend: gateway) }
        #expect(kernel.registeredBackends.map(\.name) == ["gateway"])
    }
}
