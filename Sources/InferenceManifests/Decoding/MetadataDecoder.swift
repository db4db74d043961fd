import InferenceModel

/// `metadata`: a DNS-1123 label `name`, and optional `labels` and `annotations`.
enum MetadataDecoder {
    static let maximumNameLength = ResourceName.maximumLength

    static func decode(_ root: MapReader) -> ObjectMetadata? {
        guard root.entry("metadata") != nil else {
            root.reportMissing("metadata", hint: "add metadata: {name: my-name}")
            return nil
        }
        guard let metadata = root.map("metadata") else { return nil }
        defer { metadata.finishReading() }
        let nameField = metadata.field("name")
        if nameField == nil { metadata.reportMissing("name") }
        let name = nameField.flatMap { ValueReader.string($0.node, field: $0.field, in: metadata.context) }
        let labels = metadata.stringMap("labels")
        let annotations = metadata.stringMap("annotations")
        guard let name, let node = nameField?.node else { return nil }
        if let problem = nameProblem(name) {
            metadata.context.error(at: node.location, field: "metadata.name", problem,
                                   hint: "use lowercase letters, digits and '-', e.g. '\(suggestedName(name))'")
            return nil
        }
        return ObjectMetadata(name: name, labels: labels ?? [:], annotations: annotations ?? [:])
    }

    /// Why `name` is not a DNS-1123 label, or nil when it is one.
    static func nameProblem(_ name: String) -> String? {
        ResourceName.problem(name, shown: YAMLNode.abbreviate(name))
    }

    static func suggestedName(_ name: String) -> String {
        var result = ""
        for scalar in name.lowercased().unicodeScalars {
            let keep = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
            if keep { result.unicodeScalars.append(scalar) } else if !result.hasSuffix("-") { result += "-" }
        }
        while result.hasPrefix("-") { result.removeFirst() }
        while result.hasSuffix("-") { result.removeLast() }
        return result.isEmpty ? "my-name" : String(result.prefix(maximumNameLength))
    }
}
