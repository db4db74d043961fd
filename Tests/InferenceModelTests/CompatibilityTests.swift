import InferenceModel
import Testing

@Suite("Compatibility follows the seed's rules and lists every gap")
struct CompatibilityTests {
    let service = BackendManifest(backend: "b", managementModes: [.managed], startupKind: .spawned,
                                  capabilities: ["streaming": .supported(true), "tool_calling": .unknown])

    func consumer(_ edit: (inout ConsumerManifest) -> Void = { _ in }) -> ConsumerManifest {
        var manifest = ConsumerManifest(consumer: "c", acceptedManagementModes: [.managed, .externallyManaged],
                                        requiredCapabilities: ["streaming": .supported(true)])
        edit(&manifest)
        return manifest
    }

    @Test func compatibleIsProtocolMatch() {
        let result = Compatibility.check(consumer: consumer(), backend: service)
        #expect(result.compatible)
        #expect(result.reason == .protocolMatch)
        #expect(result.resolvedManagementMode == .managed)
        #expect(result.resolvedProtocol == .openaiChatCompletions)
        #expect(result.resolvedRuntimeKind == .service)
        #expect(result.missingRequirements.isEmpty)
    }

    @Test func runtimeKindMismatch() {
        let result = Compatibility.check(consumer: consumer { $0.acceptedRuntimeKinds = [.task] }, backend: service)
        #expect(!result.compatible)
        #expect(result.reason == .runtimeKindMismatch)
    }

    @Test func managementModeMismatchAndEmptyNeverMatches() {
        let result = Compatibility.check(consumer: consumer { $0.acceptedManagementModes = [.externallyManaged] }, backend: service)
        #expect(result.reason == .managementModeMismatch)
        let empty = Compatibility.check(consumer: consumer { $0.acceptedManagementModes = [] }, backend: service)
        #expect(empty.reason == .managementModeMismatch)
    }

    @Test func firstAcceptedModeOfTheBackendWins() {
        var backend = service
        backend.managementModes = [.externallyManaged, .managed]
        let result = Compatibility.check(consumer: consumer(), backend: backend)
        #expect(result.resolvedManagementMode == .externallyManaged)
    }

    @Test func unsupportedProtocol() {
        let result = Compatibility.check(consumer: consumer { $0.acceptedProtocols = [.openaiEmbeddings] }, backend: service)
        #expect(result.reason == .unsupportedProtocol)
        #expect(result.resolvedProtocol == nil)
    }

    @Test func startupKindUnsupported() {
        let result = Compatibility.check(
            consumer: consumer { $0.constraints = ConsumerConstraints(startupKind: .attachExistingService) }, backend: service)
        #expect(result.reason == .startupKindUnsupported)
    }

    @Test func missingStreaming() {
        var backend = service
        backend.capabilities["streaming"] = .supported(false)
        let result = Compatibility.check(consumer: consumer(), backend: backend)
        #expect(result.reason == .missingStreaming)
        #expect(result.missingRequirements.first?.offered == "false")
    }

    @Test func unknownMatchesOnlyUnknown() {
        let wantsTools = Compatibility.check(consumer: consumer { $0.requiredCapabilities["tool_calling"] = .supported(true) }, backend: service)
        #expect(wantsTools.reason == .missingCapability)
        let wantsUnknown = Compatibility.check(consumer: consumer { $0.requiredCapabilities["tool_calling"] = .unknown }, backend: service)
        #expect(wantsUnknown.compatible)
    }

    @Test func everyGapIsListedInTheSeedsOrder() {
        var backend = service
        backend.capabilities = [:]
        let result = Compatibility.check(consumer: consumer {
            $0.acceptedRuntimeKinds = [.task]
            $0.acceptedManagementModes = [.externallyManaged]
            $0.acceptedProtocols = [.ollamaAPI]
            $0.constraints = ConsumerConstraints(startupKind: .attachExistingService)
            $0.requiredCapabilities = ["streaming": .supported(true), "vision": .supported(true)]
        }, backend: backend)
        #expect(result.missingRequirements.map(\.reason) == [
            .runtimeKindMismatch, .managementModeMismatch, .unsupportedProtocol, .startupKindUnsupported,
            .missingStreaming, .missingCapability,
        ])
        #expect(result.reason == .runtimeKindMismatch)
    }

    @Test func optionalCapabilitiesOnlyWarn() {
        let result = Compatibility.check(consumer: consumer { $0.optionalCapabilities = ["vision": .supported(true)] }, backend: service)
        #expect(result.compatible)
        #expect(result.warnings == ["optional capability vision: wanted true, backend offers not declared"])
    }

    @Test func wireNamesAreTheSeeds() throws {
        let result = Compatibility.check(consumer: consumer(), backend: service)
        let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        for key in ["\"compatible\"", "\"resolved_protocol\"", "\"missing_requirements\"", "\"contract_version\":\"inference.v1\""] {
            #expect(json.contains(key))
        }
    }
}

import Foundation
