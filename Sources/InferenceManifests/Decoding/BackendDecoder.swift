import InferenceModel

/// `kind: Backend` spec: a user-declared backend run by the generic driver.
enum BackendDecoder {
    static func decode(_ spec: MapReader) -> CustomBackendSpec? {
        defer { spec.finishReading() }
        let context = spec.context
        let startupKindField = spec.field("startupKind")
        if startupKindField == nil {
            spec.reportMissing("startupKind", hint: "spawned or attach_existing_service")
        }
        let startupKind = startupKindField.flatMap {
            ValueReader.choice($0.node, field: $0.field, as: StartupKind.self, in: context)
        }
        var result = CustomBackendSpec(startupKind: startupKind ?? .spawned)
        result.managementModes = spec.field("managementModes")
            .flatMap { ManagementModeChoice.readList($0.node, field: $0.field, in: context) }
        if let kind = spec.choice("runtimeKind", as: RuntimeKind.self) { result.runtimeKind = kind }
        if let protocols = spec.choiceList("protocols", of: InferenceProtocol.self) { result.protocols = protocols }
        if let capabilities = spec.field("capabilities")
            .flatMap({ CapabilitiesDecoder.decode($0.node, field: $0.field, in: context) }) {
            result.capabilities = capabilities
        }
        if let surfaces = spec.choiceList("supportedSurfaces", of: ExecutionSurface.self) { result.supportedSurfaces = surfaces }
        result.command = spec.stringList("command")
        if let probePath = spec.string("probePath") { result.probePath = probePath }
        result.healthPath = spec.string("healthPath")
        return startupKind == nil ? nil : result
    }
}
