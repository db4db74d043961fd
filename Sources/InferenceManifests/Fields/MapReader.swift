import InferenceModel

/// Reads the fields of one YAML map. Every key a decoder asks for becomes a known key;
/// `finishReading()` then reports the others as unknown, suggesting the closest known one.
/// So the allowed keys are exactly the fields the decoder reads, with no separate list to drift.
final class MapReader {
    let path: String
    /// Where the map is named (its key), for "missing field" problems.
    let location: SourceLocation
    let context: DecodeContext
    private let entries: [YAMLEntry]
    private var knownKeys: [String] = []

    /// Reports and returns nil when `node` is not a map. A null value reads as an empty map.
    init?(_ node: YAMLNode, path: String, namedAt location: SourceLocation, in context: DecodeContext) {
        if node.isNull {
            entries = []
        } else if let entries = node.entries {
            self.entries = entries
        } else {
            context.error(at: node.location, field: path, "expected a map, found \(node.kindDescription)")
            return nil
        }
        self.path = path
        self.location = location
        self.context = context
    }

    func fieldPath(_ key: String) -> String { FieldPath.child(path, key) }

    /// The value written for `key`, or nil when absent or null. Records where it was written.
    func value(_ key: String) -> YAMLNode? {
        guard let entry = entry(key) else { return nil }
        let value = entry.value
        switch value.content {
        case .scalar(let scalar) where !scalar.isNull:
            context.record(fieldPath(key), at: value.location)
        default:
            context.record(fieldPath(key), at: entry.keyLocation)
        }
        return value.isNull ? nil : value
    }

    func entry(_ key: String) -> YAMLEntry? {
        if !knownKeys.contains(key) { knownKeys.append(key) }
        return entries.first { $0.key == key }
    }

    func reportMissing(_ key: String, hint: String? = nil) {
        context.error(at: location, field: fieldPath(key), "required field '\(key)' is missing", hint: hint)
    }

    func finishReading() {
        for entry in entries where !knownKeys.contains(entry.key) {
            let hint = entry.key == "<<"
                ? "merge keys (<<) are not supported; write the fields out"
                : DidYouMean.hint(for: entry.key, among: knownKeys)
            context.error(at: entry.keyLocation, field: fieldPath(entry.key), "unknown field '\(entry.key)'", hint: hint)
        }
    }

    // MARK: Typed fields

    func string(_ key: String) -> String? {
        value(key).flatMap { ValueReader.string($0, path: fieldPath(key), in: context) }
    }

    func requiredString(_ key: String, hint: String? = nil) -> String? {
        guard let node = value(key) else {
            reportMissing(key, hint: hint)
            return nil
        }
        return ValueReader.string(node, path: fieldPath(key), in: context)
    }

    func int(_ key: String, minimum: Int? = nil) -> Int? {
        value(key).flatMap { ValueReader.int($0, path: fieldPath(key), minimum: minimum, in: context) }
    }

    func bool(_ key: String) -> Bool? {
        value(key).flatMap { ValueReader.bool($0, path: fieldPath(key), in: context) }
    }

    func duration(_ key: String) -> DurationValue? {
        value(key).flatMap { ValueReader.duration($0, path: fieldPath(key), in: context) }
    }

    func choice<Value: RawRepresentable & CaseIterable>(_ key: String, as type: Value.Type) -> Value?
    where Value.RawValue == String {
        value(key).flatMap { ValueReader.choice($0, path: fieldPath(key), as: type, in: context) }
    }

    func choiceList<Value: RawRepresentable & CaseIterable>(_ key: String, of type: Value.Type) -> [Value]?
    where Value.RawValue == String {
        value(key).flatMap {
            ValueReader.list($0, path: fieldPath(key), in: context) { node, path in
                ValueReader.choice(node, path: path, as: type, in: context)
            }
        }
    }

    func stringList(_ key: String) -> [String]? {
        value(key).flatMap { ValueReader.stringList($0, path: fieldPath(key), in: context) }
    }

    func stringMap(_ key: String) -> [String: String]? {
        value(key).flatMap { ValueReader.stringMap($0, path: fieldPath(key), in: context) }
    }

    /// A nested map; nil when absent (or after reporting that it is not a map).
    func map(_ key: String) -> MapReader? {
        guard let found = entry(key) else { return nil }
        _ = value(key)
        return MapReader(found.value, path: fieldPath(key), namedAt: found.keyLocation, in: context)
    }
}
