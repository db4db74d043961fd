import InferenceModel

/// What one text (a file, or a run of its documents) decoded to: the objects of the documents that
/// read cleanly, and every problem, in document order.
struct LoadedText: Sendable {
    var backends: [BackendDefinition] = []
    var instances: [InstanceManifest] = []
    var consumers: [ConsumerDefinition] = []
    var residencyGroups: [ResidencyGroupDefinition] = []
    var diagnostics: [Diagnostic] = []

    /// A document with any error is left out, so later rules do not pile up follow-on errors on it.
    mutating func add(_ decoded: consuming DecodedDocument) {
        diagnostics += decoded.diagnostics
        guard !decoded.diagnostics.hasErrors, let object = decoded.object else { return }
        switch consume object {
        case .backend(let backend): backends.append(backend)
        case .instance(let instance): instances.append(instance)
        case .consumer(let consumer): consumers.append(consumer)
        case .residencyGroup(let group): residencyGroups.append(group)
        }
    }

    /// Another text's objects and problems after these. Into empty lists the other's are taken
    /// as they are: a copy of a manifest retains dozens of references, and a large file's 100,000
    /// manifests would otherwise be copied once more.
    mutating func append(_ other: LoadedText) {
        Self.append(other.backends, to: &backends)
        Self.append(other.instances, to: &instances)
        Self.append(other.consumers, to: &consumers)
        Self.append(other.residencyGroups, to: &residencyGroups)
        Self.append(other.diagnostics, to: &diagnostics)
    }

    private static func append<Element>(_ elements: [Element], to list: inout [Element]) {
        if list.isEmpty { list = elements } else { list += elements }
    }

    var state: DesiredState {
        DesiredState(backends: backends, instances: instances, consumers: consumers, residencyGroups: residencyGroups)
    }
}
