import InferenceModel

/// Reads one YAML value as a typed value, reporting a wrong type at the value's position.
/// Each function returns nil after reporting, so decoding continues and finds every problem.
enum ValueReader {
    static let durationHint = "use 500ms, 30s, 5m, 1h30m"

    static func string(_ node: YAMLNode, field: Field, in context: DecodeContext) -> String? {
        guard node.isScalar, !node.isNull else {
            context.error(at: node.location, field: field, "expected a string, found \(node.kindDescription)")
            return nil
        }
        return node.text
    }

    static func int(_ node: YAMLNode, field: Field, minimum: Int? = nil, in context: DecodeContext) -> Int? {
        guard let value = node.scalar?.int else {
            context.error(at: node.location, field: field, "expected a whole number, found \(node.kindDescription)")
            return nil
        }
        if let minimum, value < minimum {
            let rule = minimum == 0 ? "must not be negative" : "must be at least \(minimum)"
            context.error(at: node.location, field: field, "\(rule), found \(value)")
            return nil
        }
        return value
    }

    static func bool(_ node: YAMLNode, field: Field, in context: DecodeContext) -> Bool? {
        guard let value = node.scalar?.bool else {
            context.error(at: node.location, field: field, "expected true or false, found \(node.kindDescription)")
            return nil
        }
        return value
    }

    static func duration(_ node: YAMLNode, field: Field, in context: DecodeContext) -> DurationValue? {
        guard let scalar = node.scalar, !scalar.isNull else {
            context.error(at: node.location, field: field, "expected a duration, found \(node.kindDescription)", hint: durationHint)
            return nil
        }
        guard let value = DurationValue(parsing: scalar.text) else {
            let bare = scalar.int != nil ? " (a bare number has no unit)" : ""
            context.error(at: node.location, field: field,
                          "'\(YAMLNode.abbreviate(scalar.text))' is not a duration\(bare)", hint: durationHint)
            return nil
        }
        return value
    }

    /// One of a fixed set of words; the message lists them and suggests the closest.
    static func choice<Value>(_ node: YAMLNode, field: Field, allowed: @autoclosure () -> [String], in context: DecodeContext,
                              parse: (String) -> Value?) -> Value? {
        // The list is only spelled out for a message: building it for every value cost more than the parse.
        func list() -> String { allowed().map { "'\($0)'" }.joined(separator: ", ") }
        guard let scalar = node.scalar, !scalar.isNull else {
            context.error(at: node.location, field: field, "expected one of \(list()), found \(node.kindDescription)")
            return nil
        }
        guard let value = parse(scalar.text) else {
            context.error(at: node.location, field: field,
                          "'\(YAMLNode.abbreviate(scalar.text))' is not one of \(list())",
                          hint: DidYouMean.hint(for: scalar.text, among: allowed()))
            return nil
        }
        return value
    }

    static func choice<Value: RawRepresentable & CaseIterable>(_ node: YAMLNode, field: Field, as type: Value.Type,
                                                              in context: DecodeContext) -> Value?
    where Value.RawValue == String {
        choice(node, field: field, allowed: Value.allCases.map(\.rawValue), in: context, parse: Value.init(rawValue:))
    }

    /// A list whose items are read by `item`; each item is recorded as a field (`path[index]`).
    static func list<Item>(_ node: YAMLNode, field: Field, in context: DecodeContext,
                           item: (YAMLNode, Field) -> Item?) -> [Item]? {
        guard let nodes = node.items else {
            context.error(at: node.location, field: field, "expected a list, found \(node.kindDescription)",
                          hint: node.scalar != nil ? "write [\(YAMLNode.abbreviate(node.scalar?.text ?? ""))] or one '- item' per line" : nil)
            return nil
        }
        var values: [Item] = []
        values.reserveCapacity(nodes.count)
        var failed = false
        for (index, element) in nodes.enumerated() {
            let recorded = context.record(item: index, of: field, at: element.position)
            if let value = item(element, recorded) { values.append(value) } else { failed = true }
        }
        return failed ? nil : values
    }

    static func stringList(_ node: YAMLNode, field: Field, in context: DecodeContext) -> [String]? {
        list(node, field: field, in: context) { string($0, field: $1, in: context) }
    }

    /// A map of text to text (labels, selectors). Plain numbers and booleans are kept as written.
    static func stringMap(_ node: YAMLNode, field: Field, in context: DecodeContext) -> [String: String]? {
        guard let entries = node.entries else {
            context.error(at: node.location, field: field, "expected a map of names to text, found \(node.kindDescription)")
            return nil
        }
        var values = [String: String](minimumCapacity: entries.count)
        var failed = false
        for entry in entries {
            let key = entry.key
            let recorded = context.record(key, of: field, at: entry.value.position)
            if let value = string(entry.value, field: recorded, in: context) { values[key] = value } else { failed = true }
        }
        return failed ? nil : values
    }
}
