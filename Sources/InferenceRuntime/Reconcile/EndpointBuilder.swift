import InferenceBackends
import InferenceModel

/// The published `EndpointDescriptor` for an instance. Secrets appear only as references.
enum EndpointBuilder {
    static func descriptor(instance: InstanceManifest, manifest: BackendManifest, template: EndpointTemplate,
                           capabilities: Capabilities? = nil, runtimeRef: String, extraMetadata: Metadata = [:]) -> EndpointDescriptor {
        var metadata: Metadata = ["instance": .string(instance.name)]
        metadata.merge(extraMetadata) { $1 }
        return EndpointDescriptor(
            instance: instance.name,
            runtimeKind: manifest.runtimeKind,
            managementMode: manifest.startupKind.managementMode,
            protocol: manifest.protocols.first ?? .openaiChatCompletions,
            baseURL: template.baseURL,
            secretHeaders: template.apiKey.map { ["authorization": $0] } ?? [:],
            providerIdentity: template.providerIdentity,
            modelIdentity: template.modelIdentity,
            sourceRuntime: manifest.backend,
            sourceRuntimeRef: runtimeRef,
            healthRef: template.healthRef,
            capabilities: capabilities ?? manifest.capabilities,
            metadata: metadata)
    }
}
