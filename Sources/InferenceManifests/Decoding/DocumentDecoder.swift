import InferenceModel

enum DecodedObject {
    case backend(BackendDefinition)
    case instance(InstanceManifest)
    case consumer(ConsumerDefinition)
    case residencyGroup(ResidencyGroupDefinition)
}

struct DecodedDocument {
    /// nil when the document is too broken to build (the diagnostics say why).
    var object: DecodedObject?
    var diagnostics: [Diagnostic]
}

/// Reads the envelope every document shares (`apiVersion`, `kind`, `metadata`, `spec`)
/// and hands `spec` to the decoder of its kind.
enum DocumentDecoder {
    static let documentShape = "a manifest document is a map with apiVersion, kind, metadata and spec"

    /// A document with an unknown field is decoded twice: the second time its readers keep the
    /// keys they ask for, to suggest one. Keeping them for every document cost more than decoding.
    static func decode(_ document: YAMLNode, file: String, baseDirectory: String) -> DecodedDocument {
        let decoded = decode(document, in: DecodeContext(file: file, baseDirectory: baseDirectory, keepsAskedKeys: false))
        guard decoded.needsAskedKeys else { return decoded.document }
        return decode(document, in: DecodeContext(file: file, baseDirectory: baseDirectory, keepsAskedKeys: true)).document
    }

    private static func decode(_ document: YAMLNode, in context: DecodeContext) -> (document: DecodedDocument, needsAskedKeys: Bool) {
        (decodeDocument(document, in: context), context.needsAskedKeys)
    }

    private static func decodeDocument(_ document: YAMLNode, in context: DecodeContext) -> DecodedDocument {
        guard document.entries != nil else {
            context.error(at: document.location, field: "", "expected a map, found \(document.kindDescription)",
                          hint: documentShape)
            return DecodedDocument(object: nil, diagnostics: context.diagnostics)
        }
        guard let root = MapReader(document, field: .document, namedAt: document.location, in: context) else {
            return DecodedDocument(object: nil, diagnostics: context.diagnostics)
        }
        readAPIVersion(root)
        let kind = readKind(root)
        let metadata = MetadataDecoder.decode(root)
        let specEntry = root.entry("spec")
        let spec = root.map("spec")
        var object: DecodedObject?
        switch kind {
        case .instance?:
            if specEntry == nil { root.reportMissing("spec", hint: "an Instance needs at least spec.backend") }
            let decoded = spec.flatMap { InstanceDecoder.decode($0) }
            if let metadata, let decoded {
                object = .instance(InstanceManifest(metadata: metadata, spec: decoded, origin: origin(document, context)))
            }
        case .consumer?:
            // Every consumer field has a default: `spec` may be left out.
            let decoded = specEntry == nil ? ConsumerSpec() : spec.flatMap { ConsumerDecoder.decode($0) }
            if let metadata, let decoded {
                object = .consumer(ConsumerDefinition(metadata: metadata, spec: decoded, origin: origin(document, context)))
            }
        case .backend?:
            if specEntry == nil { root.reportMissing("spec", hint: "a Backend needs at least spec.startupKind") }
            let decoded = spec.flatMap { BackendDecoder.decode($0) }
            if let metadata, let decoded {
                object = .backend(BackendDefinition(metadata: metadata, spec: decoded, origin: origin(document, context)))
            }
        case .residencyGroup?:
            if specEntry == nil { root.reportMissing("spec", hint: "a ResidencyGroup needs spec.selector and spec.maxRunning or spec.memory") }
            let decoded = spec.flatMap { ResidencyGroupDecoder.decode($0) }
            if let metadata, let decoded {
                object = .residencyGroup(ResidencyGroupDefinition(metadata: metadata, spec: decoded, origin: origin(document, context)))
            }
        case nil:
            break
        }
        root.finishReading()
        return DecodedDocument(object: object, diagnostics: context.diagnostics)
    }

    static func origin(_ document: YAMLNode, _ context: DecodeContext) -> ManifestOrigin {
        ManifestOrigin(file: context.file, location: document.location, places: context.places)
    }

    static func readAPIVersion(_ root: MapReader) {
        let hint = "write apiVersion: \(manifestAPIVersion)"
        guard let (node, field) = root.field("apiVersion") else {
            root.reportMissing("apiVersion", hint: hint)
            return
        }
        guard let version = ValueReader.string(node, field: field, in: root.context) else { return }
        if version != manifestAPIVersion {
            root.context.error(at: node.location, field: "apiVersion",
                               "unsupported apiVersion '\(YAMLNode.abbreviate(version))'", hint: hint)
        }
    }

    static func readKind(_ root: MapReader) -> ManifestKind? {
        guard let (node, field) = root.field("kind") else {
            root.reportMissing("kind", hint: "one of \(ManifestKind.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return ValueReader.choice(node, field: field, as: ManifestKind.self, in: root.context)
    }
}
