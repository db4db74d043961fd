import InferenceModel

/// `kind: Consumer` spec: which instance it uses and what it requires of it. Everything has a default.
enum ConsumerDecoder {
    static func decode(_ spec: MapReader) -> ConsumerSpec? {
        defer { spec.finishReading() }
        let context = spec.context
        var result = ConsumerSpec()
        result.instance = spec.string("instance")
        result.selector = spec.stringMap("selector")
        if let kinds = spec.choiceList("acceptedRuntimeKinds", of: RuntimeKind.self) { result.acceptedRuntimeKinds = kinds }
        if let modes = spec.field("acceptedManagementModes")
            .flatMap({ ManagementModeChoice.readList($0.node, field: $0.field, in: context) }) {
            result.acceptedManagementModes = modes
        }
        if let protocols = spec.choiceList("acceptedProtocols", of: InferenceProtocol.self) { result.acceptedProtocols = protocols }
        if let required = spec.field("requiredCapabilities")
            .flatMap({ CapabilitiesDecoder.decode($0.node, field: $0.field, in: context) }) {
            result.requiredCapabilities = required
        }
        if let optional = spec.field("optionalCapabilities")
            .flatMap({ CapabilitiesDecoder.decode($0.node, field: $0.field, in: context) }) {
            result.optionalCapabilities = optional
        }
        result.startupKind = spec.choice("startupKind", as: StartupKind.self)
        return result
    }
}
