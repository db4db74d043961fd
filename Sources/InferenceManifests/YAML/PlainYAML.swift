import InferenceModel

/// A YAML value with its position, for reading files that are not manifests (a llama-swap
/// `config.yaml`), parsed with the same reader, limits and hostile-input guards as manifests.
public struct PlainYAMLValue: Sendable {
    public enum Content: Sendable {
        /// `isPlain`: written without quotes, so `8080` or `true` may mean a number or a boolean.
        case scalar(text: String, isPlain: Bool)
        case sequence([PlainYAMLValue])
        case mapping([PlainYAMLEntry])
    }

    public var content: Content
    public var location: SourceLocation

    public var text: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    public var isNull: Bool {
        if case .scalar(let text, let isPlain) = content { return isPlain && ["", "~", "null", "Null", "NULL"].contains(text) }
        return false
    }

    public var items: [PlainYAMLValue]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    public var entries: [PlainYAMLEntry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    public subscript(key: String) -> PlainYAMLValue? { entries?.first { $0.key == key }?.value }
}

public struct PlainYAMLEntry: Sendable {
    public var key: String
    public var keyLocation: SourceLocation
    public var value: PlainYAMLValue
}

public enum PlainYAML {
    /// Every document of `text`, and every YAML problem found (file:line:column, as for manifests).
    public static func documents(_ text: String, file: String) -> (documents: [PlainYAMLValue], diagnostics: [Diagnostic]) {
        var documents: [PlainYAMLValue] = []
        let diagnostics = YAMLDocumentReader.read(text, file: file) { documents.append(PlainYAMLValue($0)) }
        return (documents, diagnostics)
    }
}

extension PlainYAMLValue {
    init(_ node: YAMLNode) {
        location = node.location
        switch node.content {
        case .scalar(let scalar): content = .scalar(text: scalar.text, isPlain: scalar.isPlain)
        case .sequence(let items): content = .sequence(items.map(PlainYAMLValue.init))
        case .mapping(let entries):
            content = .mapping(entries.map { PlainYAMLEntry(key: $0.key, keyLocation: $0.keyLocation, value: PlainYAMLValue($0.value)) })
        }
    }
}
