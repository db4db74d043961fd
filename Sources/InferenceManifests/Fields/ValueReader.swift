import InferenceModel

/// Reads one YAML value as a typed value, reporting a wrong type at the value's position.
/// Each function returns nil after reporting, so decoding continues and finds every problem.
enum ValueReader {
    static let durationHint = "use 500ms, 30s, 5m, 1h30m"

    static func string(_ node: YAMLNode, path: String, in context: DecodeContext) -> String? {
        guard let scalar = node.scalar, !scalar.isNull else {
            context.error(at: node.location, field: path, "expected a string, found \(node.kindDescription)")
            return nil
        }
        return scalar.text
    }

    static func int(_ node: YAMLNode, path: String, minimum: Int? = nil, in context: DecodeContext) -> Int? {
        guard let value = node.scalar?.int else {
            context.error(at: node.location, field: path, "expected a whole number, found \(node.kindDescription)")
            return nil
        }
        if let minimum, value < minimum {
            let rule = minimum == 0 ? "must not be negative" : "must be at least \(minimum)"
            context.error(at: node.location, field: path, "\(rule), found \(value)")
            return nil
        }
        return value
    }

    static func bool(_ node: YAMLNode, path: String, in context: DecodeContext) -> Bool? {
        guard let value = node.scalar?.bool else {
            context.error(at: node.location, field: path, "expected true or false, found \(node.kindDescription)")
            return nil
        }
        return value
    }

    static func duration(_ node: YAMLNode, path: String, in context: DecodeContext) -> DurationValue? {
        guard let scalar = node.scalar, !scalar.isNull else {
            context.error(at: node.location, field: path, "expected a duration, found \(node.kindDescription)", hint: durationHint)
            return nil
        }
        guard let value = DurationValue(parsing: scalar.text) else {
            let bare = scalar.int != nil ? " (a bare number has no unit)" : ""
            context.error(at: node.location, field: path,
                          "'\(YAMLNode.abbreviate(scalar.text))' is not a duration\(bare)", hint: durationHint)
            return nil
        }
        return value
    }

    /// One of a fixed set of words; the message lists them and suggests the closest.
    static func choice<Value>(_ node: YAMLNode, path: String, allowed: [String], in context: DecodeContext,
                              parse: (String) -> Value?) -> Value? {
        let list = allowed.map { "'\($0)'" }.joined(separator: ", ")
        guard let scalar = node.scalar, !scalar.isNull else {
            context.error(at: node.location, field: path, "expected one of \(list), found \(node.kindDescription)")
            return nil
        }
        guard let value = parse(scalar.text) else {
            context.error(at: node.location, field: path,
                          "'\(YAMLNode.abbreviate(scalar.text))' is not one of \(list)",
                          hint: DidYouMean.hint(for: scalar.text, among: allowed))
            return nil
        }
        return value
    }

    static func choice<Value: RawRepresentable & CaseIterable>(_ node: YAMLNode, path: String, as type: Value.Type,
                                                              in context: DecodeContext) -> Value?
    where Value.RawValue == String {
        choice(node, path: path, allowed: Value.allCases.map(\.rawValue), in: context, parse: Value.init(rawValue:))
    }

    /// A list whose items are read by `item`; item paths are `path[index]`.
    static func list<Item>(_ node: YAMLNode, path: String, in context: DecodeContext,
                           item: (YAMLNode, String) -> Item?) -> [Item]? {
        guard let nodes = node.items else {
            context.error(at: node.location, field: path, "expected a list, found \(node.kindDescription)",
                          hint: node.scalar != nil ? "write [\(YAMLNode.abbreviate(node.scalar?.text ?? ""))] or one '- item' per line" : nil)
            return nil
        }
        var values: [Item] = []
        var failed = false
        for (index, element) in nodes.enumerated() {
            let elementPath = FieldPath.item(path, index)
            context.record(elementPath, at: element.location)
            if let value = item(element, elementPath) { values.append(value) } else { failed = true }
        }
        return failed ? nil : values
    }

    static func stringList(_ node: YAMLNode, path: String, in context: DecodeContext) -> [String]? {
        list(node, path: path, in: context) { string($0, path: $1, in: context) }
    }

    /// A map of text to text (labels, selectors). Plain numbers and booleans are kept as written.
    static func stringMap(_ node: YAMLNode, path: String, in context: DecodeContext) -> [String: String]? {
        guard let entries = node.entries else {
            context.error(at: node.location, field: path, "expected a map of names to text, found \(node.kindDescription)")
            return nil
        }
        var values: [String: String] = [:]
        var failed = false
        for entry in entries {
            let entryPath = FieldPath.child(path, entry.key)
            context.record(entryPath, at: entry.value.location)
            if let value = string(entry.value, path: entryPath, in: context) { values[entry.key] = value } else { failed = true }
        }
        return failed ? nil : values
    }
}
