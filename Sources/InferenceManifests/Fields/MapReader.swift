import InferenceModel

/// Reads the fields of one YAML map. Every key a decoder asks for becomes a known key;
/// `finishReading()` then reports the others as unknown, suggesting the closest known one.
/// So the allowed keys are exactly the fields the decoder reads, with no separate list to drift.
final class MapReader {
    /// The map itself, as a field of its document.
    let asField: Field
    /// Where the map is named (its key), for "missing field" problems.
    let location: SourceLocation
    let context: DecodeContext
    /// The map's entries, read in place (no handle per lookup); no document for a null map.
    private let document: YAMLDocument?
    private let membersStart: Int
    private let entryCount: Int
    /// This reader's number in `context`, which keeps the keys it asked for.
    private let number: Int
    /// Entries whose key was asked for: bit n for entry n, then `readBeyond` for maps of 64 keys or more.
    private var readMask: UInt64 = 0
    private var readBeyond: Set<Int> = []

    /// Reports and returns nil when `node` is not a map. A null value reads as an empty map.
    init?(_ node: YAMLNode, field: Field, namedAt location: SourceLocation, in context: DecodeContext) {
        if node.isNull {
            (document, membersStart, entryCount) = (nil, 0, 0)
        } else if let entries = node.entries {
            (document, membersStart, entryCount) = (entries.document, entries.start, entries.count)
        } else {
            context.error(at: node.location, field: field, "expected a map, found \(node.kindDescription)")
            return nil
        }
        asField = field
        self.location = location
        self.context = context
        number = context.newMapReader()
    }

    /// `spec.server`: built for messages only.
    var path: String { context.path(of: asField) }

    func fieldPath(_ key: String) -> String { FieldPath.child(path, key) }

    /// The value written for `key`, or nil when absent or null. Records where it was written.
    func value(_ key: String) -> YAMLNode? { field(key)?.node }

    /// The value written for `key` as a recorded field, or nil when absent or null.
    /// A scalar is recorded at its value, anything else (or null) at its key.
    func field(_ key: String) -> (node: YAMLNode, field: Field)? {
        guard let document, let position = position(of: key) else { return nil }
        let value = document.members[membersStart + 2 * position + 1]
        let recorded = record(key, at: position, in: document)
        return document.isNull(value) ? nil : (YAMLNode(document: document, index: value), recorded)
    }

    private func record(_ key: String, at position: Int, in document: YAMLDocument) -> Field {
        let value = document.members[membersStart + 2 * position + 1]
        let written = document.nodes[Int(value)].kind == .scalar && !document.isNull(value)
            ? value : document.members[membersStart + 2 * position]
        let node = document.nodes[Int(written)]
        return context.record(key, of: asField, at: TextPosition(line: Int(node.line), column: Int(node.column)))
    }

    func entry(_ key: String) -> YAMLEntry? {
        guard let document, let position = position(of: key) else { return nil }
        let slot = membersStart + 2 * position
        return YAMLEntry(document: document, keyIndex: document.members[slot], valueIndex: document.members[slot + 1])
    }

    /// The position of `key` among the entries, which is then known to be read.
    private func position(of key: String) -> Int? {
        context.noteAsked(key, by: number)
        guard let document, let position = document.entryPosition(of: key, membersFrom: membersStart, entries: entryCount) else {
            return nil
        }
        if position < 64 { readMask |= 1 << UInt64(position) } else { readBeyond.insert(position) }
        return position
    }

    func reportMissing(_ key: String, hint: @autoclosure () -> String? = nil) {
        context.error(at: location, field: fieldPath(key), "required field '\(key)' is missing", hint: hint())
    }

    func finishReading() {
        // Every entry read: nothing to report.
        guard let document, readMask.nonzeroBitCount + readBeyond.count < entryCount else { return }
        guard context.keepsAskedKeys else { return context.askForAskedKeys() }
        let entries = YAMLEntries(document: document, start: membersStart, count: entryCount)
        var knownKeys: [String]?
        for position in entries.indices where !wasRead(position) {
            let entry = entries[position]
            let key = entry.key
            let known = knownKeys ?? context.keysAsked(by: number)
            knownKeys = known
            let hint = key == "<<"
                ? "merge keys (<<) are not supported; write the fields out"
                : DidYouMean.hint(for: key, among: known)
            context.error(at: entry.keyLocation, field: fieldPath(key), "unknown field '\(key)'", hint: hint)
        }
    }

    private func wasRead(_ position: Int) -> Bool {
        position < 64 ? readMask & (1 << UInt64(position)) != 0 : readBeyond.contains(position)
    }

    // MARK: Typed fields

    func string(_ key: String) -> String? {
        field(key).flatMap { ValueReader.string($0.node, field: $0.field, in: context) }
    }

    /// `hint` is only spelled out when the field is missing.
    func requiredString(_ key: String, hint: @autoclosure () -> String? = nil) -> String? {
        guard let (node, field) = field(key) else {
            reportMissing(key, hint: hint())
            return nil
        }
        return ValueReader.string(node, field: field, in: context)
    }

    func int(_ key: String, minimum: Int? = nil) -> Int? {
        field(key).flatMap { ValueReader.int($0.node, field: $0.field, minimum: minimum, in: context) }
    }

    func bool(_ key: String) -> Bool? {
        field(key).flatMap { ValueReader.bool($0.node, field: $0.field, in: context) }
    }

    func duration(_ key: String) -> DurationValue? {
        field(key).flatMap { ValueReader.duration($0.node, field: $0.field, in: context) }
    }

    func choice<Value: RawRepresentable & CaseIterable>(_ key: String, as type: Value.Type) -> Value?
    where Value.RawValue == String {
        field(key).flatMap { ValueReader.choice($0.node, field: $0.field, as: type, in: context) }
    }

    func choiceList<Value: RawRepresentable & CaseIterable>(_ key: String, of type: Value.Type) -> [Value]?
    where Value.RawValue == String {
        field(key).flatMap {
            ValueReader.list($0.node, field: $0.field, in: context) { node, field in
                ValueReader.choice(node, field: field, as: type, in: context)
            }
        }
    }

    func stringList(_ key: String) -> [String]? {
        field(key).flatMap { ValueReader.stringList($0.node, field: $0.field, in: context) }
    }

    func stringMap(_ key: String) -> [String: String]? {
        field(key).flatMap { ValueReader.stringMap($0.node, field: $0.field, in: context) }
    }

    /// A nested map; nil when absent (or after reporting that it is not a map).
    func map(_ key: String) -> MapReader? {
        guard let document, let position = position(of: key) else { return nil }
        let slot = membersStart + 2 * position
        let recorded = record(key, at: position, in: document)
        return MapReader(YAMLNode(document: document, index: document.members[slot + 1]), field: recorded,
                         namedAt: YAMLNode(document: document, index: document.members[slot]).location, in: context)
    }
}
