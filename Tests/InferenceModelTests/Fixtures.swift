import InferenceBackends
import InferenceModel

/// Builders for manifests as the loader would produce them, each field placed on its own line.
enum Fixture {
    static func origin(_ file: String = "m.yaml", line: Int = 1) -> ManifestOrigin {
        var fields: [String: SourceLocation] = [:]
        for (offset, path) in ["metadata.name", "spec.backend", "spec.server.port", "spec.instance", "spec.selector",
                               "spec.command", "spec.url", "spec.model.path", "spec.startupKind", "spec.managementMode",
                               "spec.surface", "spec.requiredCapabilities", "spec.server.host"].enumerated() {
            fields[path] = SourceLocation(file: file, line: line + offset + 1, column: 3)
        }
        return ManifestOrigin(file: file, location: SourceLocation(file: file, line: line, column: 1), fieldLocations: fields)
    }

    static func instance(_ name: String, _ spec: InstanceSpec, file: String = "m.yaml", line: Int = 1,
                         labels: [String: String] = [:]) -> InstanceManifest {
        InstanceManifest(metadata: ObjectMetadata(name: name, labels: labels), spec: spec, origin: origin(file, line: line))
    }

    static func llama(port: PortSetting = .fixed(18081), host: String = "127.0.0.1") -> InstanceSpec {
        InstanceSpec(backend: "llama_cpp", model: ModelSpec(path: "/models/g.gguf", identity: "gemma"),
                     server: ServerSpec(host: host, port: port))
    }

    static func sim(port: PortSetting = .auto) -> InstanceSpec {
        InstanceSpec(backend: "simulation", server: ServerSpec(port: port))
    }

    static func ollama(_ model: String = "llama3.2") -> InstanceSpec {
        InstanceSpec(backend: "ollama", model: ModelSpec(identity: model))
    }

    static func consumer(_ name: String, _ spec: ConsumerSpec, file: String = "c.yaml", line: Int = 1) -> ConsumerDefinition {
        ConsumerDefinition(metadata: ObjectMetadata(name: name), spec: spec, origin: origin(file, line: line))
    }

    static func validate(_ state: DesiredState) -> [Diagnostic] {
        Validator.validate(state, catalog: BackendRegistry(customBackends: state.backends))
    }
}
