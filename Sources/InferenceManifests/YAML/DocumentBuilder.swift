import Foundation
import InferenceModel

/// Builds one `YAMLDocument` from libyaml events, keeping every position.
///
/// Guards, all checked as events arrive, so a hostile document costs no more than its text:
/// - every value, and every value an alias repeats, counts against the document's budget, and
///   alias repeats against the file's too: a "billion laughs" is stopped before it is expanded
///   (an alias shares its anchor's values, so a repeat costs a count, not a copy);
/// - nesting deeper than `maximumDepth` is refused;
/// - keys must be plain text: an alias or a collection used as a key is refused;
/// - every repeated key of every map is reported, each at its own position.
/// A document with any of these problems is left out. Once a document is refused, its remaining
/// events are only followed for key problems, building nothing.
///
/// Values go into flat arrays (see `YAMLDocument`), and the collections still open keep their
/// members on one shared stack: nothing is allocated per value.
struct DocumentBuilder {
    static let maximumDepth = 1000
    /// Past this many keys a map's keys are looked up in a table, so a hostile map of many keys stays linear.
    static let keyTableThreshold = 16

    let file: String
    /// Added to event lines: the text was parsed from this line of the file on.
    let lineOffset: Int
    private let documentBudget: Int
    /// Values aliases may still repeat in this file; carried from document to document.
    private(set) var aliasBudget: Int
    /// An alias was refused because the file's budget could not pay for it.
    private(set) var aliasBudgetRanOut = false
    private(set) var diagnostics: [Diagnostic] = []

    private var remaining = 0
    private var anchors: [String: (node: Int32, size: Int)] = [:]
    private var frames: [Frame] = []
    /// Members of the collections still open, innermost last; a collection takes its own when it ends.
    private var open: [Int32] = []
    /// Anchor names of open collections (registered when they end), innermost last.
    private var openAnchors: [String] = []
    /// Key tables of open large maps (key text to its first key), innermost last.
    private var keyTables: [[String: Int32]] = []
    private var nodes: [YAMLDocument.Node] = []
    private var members: [Int32] = []
    private var text: [UInt8] = []
    /// Once refused: only where keys are expected is still followed.
    private var skimSlots: [Slot]?
    private var root: Int32?
    private var refused = false
    private(set) var documentStart: TextPosition?

    fileprivate enum Slot { case item, key, value }

    /// A collection being read. Plain values only, so updating one in place costs no reference counting.
    fileprivate struct Frame {
        var isMapping: Bool
        var node: Int32
        /// Where its members start in `open`.
        var base: Int
        var hasAnchor: Bool
        var hasKeyTable = false
        var size = 1
        /// The key just read, waiting for its value; -1 for none.
        var pendingKey: Int32 = -1
        /// The key just read was refused; its value is read and dropped.
        var skipValue = false
        var expectsKey: Bool
    }

    init(file: String, lineOffset: Int, documentBudget: Int, aliasBudget: Int) {
        self.file = file
        self.lineOffset = lineOffset
        self.documentBudget = documentBudget
        self.aliasBudget = aliasBudget
    }

    func location(_ position: TextPosition) -> SourceLocation {
        SourceLocation(file: file, line: position.line + lineOffset, column: position.column)
    }

    private func location(ofNode index: Int32) -> SourceLocation {
        let node = nodes[Int(index)]
        return SourceLocation(file: file, line: Int(node.line), column: Int(node.column))
    }

    mutating func startDocument(at position: TextPosition) {
        documentStart = position
        remaining = documentBudget
        clear()
    }

    /// The document read, or nil when it was refused (or empty). `isEmpty` tells the two apart.
    mutating func endDocument() -> (document: YAMLDocument?, isEmpty: Bool) {
        defer {
            clear()
            documentStart = nil
        }
        if refused { return (nil, false) }
        guard let root else { return (nil, true) }
        let document = YAMLDocument(file: file, nodes: nodes, members: members, text: text, rootIndex: root)
        if document.isNull(root) { return (nil, true) }
        // The next document is likely shaped like this one: one allocation per array, not a regrowth per value.
        nodes = []
        members = []
        text = []
        nodes.reserveCapacity(min(document.nodes.count, 4096))
        members.reserveCapacity(min(document.members.count, 4096))
        text.reserveCapacity(min(document.text.count, 65_536))
        return (document, false)
    }

    private mutating func clear() {
        anchors = [:]
        frames.removeAll(keepingCapacity: true)
        open.removeAll(keepingCapacity: true)
        openAnchors = []
        keyTables = []
        nodes.removeAll(keepingCapacity: true)
        members.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
        skimSlots = nil
        root = nil
        refused = false
    }

    mutating func handle(_ event: YAMLEvent) {
        if skimSlots != nil { return skim(event) }
        switch event {
        case .scalar(let scalar, let anchor, let at):
            if spend(1, at: at) { return skim(event) }
            let node = appendScalar(scalar.bytes, isPlain: scalar.isPlain, at: at)
            if let anchor { anchors[anchor] = (node, 1) }
            add(node, size: 1)
        case .alias(let anchor, let at):
            if expectsKey { return refuseAliasKey(at: at) }
            guard let anchored = anchors[anchor] else {
                refuse(.error(at: location(at), "invalid YAML: undefined alias '*\(anchor)'",
                              hint: "an alias repeats an anchor (&\(anchor)) written before it in the same document"))
                return add(appendScalar(UnsafeBufferPointer(start: nil, count: 0), isPlain: true, at: at), size: 1)
            }
            if anchored.size > aliasBudget {
                aliasBudgetRanOut = true
                overBudget()
                return skim(event)
            }
            aliasBudget -= anchored.size
            if spend(anchored.size, at: at) { return skim(event) }
            add(anchored.node, size: anchored.size)
        case .sequenceStart(let anchor, let at), .mappingStart(let anchor, let at):
            if spend(1, at: at) { return skim(event) }
            guard frames.count < Self.maximumDepth else {
                refuse(.error(at: location(at), "invalid YAML: values nested more than \(Self.maximumDepth) levels deep",
                              hint: "manifests nest a few levels; this looks generated or hostile"))
                startSkimming()
                return skim(event)
            }
            let isMapping = Self.isMappingStart(event)
            let node = appendNode(isMapping ? .mapping : .sequence, isPlain: false, start: 0, count: 0, at: at)
            if let anchor { openAnchors.append(anchor) }
            frames.append(Frame(isMapping: isMapping, node: node, base: open.count, hasAnchor: anchor != nil,
                                expectsKey: isMapping))
        case .sequenceEnd, .mappingEnd:
            guard let frame = frames.popLast() else { return }
            nodes[Int(frame.node)].start = Int32(members.count)
            nodes[Int(frame.node)].count = Int32(open.count - frame.base)
            members.append(contentsOf: open[frame.base..<open.count])
            open.removeSubrange(frame.base..<open.count)
            if frame.hasKeyTable { keyTables.removeLast() }
            if frame.hasAnchor { anchors[openAnchors.removeLast()] = (frame.node, frame.size) }
            add(frame.node, size: frame.size)
        case .streamStart, .streamEnd, .documentStart, .documentEnd:
            break
        }
    }

    private static func isMappingStart(_ event: YAMLEvent) -> Bool {
        if case .mappingStart = event { return true }
        return false
    }

    /// Whether the innermost collection is a map waiting for a key.
    private var expectsKey: Bool {
        guard !frames.isEmpty else { return false }
        return frames[frames.count - 1].isMapping && frames[frames.count - 1].expectsKey
    }

    private mutating func appendNode(_ kind: YAMLDocument.Kind, isPlain: Bool, start: Int, count: Int,
                                     at position: TextPosition) -> Int32 {
        nodes.append(YAMLDocument.Node(kind: kind, isPlain: isPlain, line: Int32(truncatingIfNeeded: position.line + lineOffset),
                                       column: Int32(truncatingIfNeeded: position.column),
                                       start: Int32(start), count: Int32(count)))
        return Int32(nodes.count - 1)
    }

    private mutating func appendScalar(_ bytes: UnsafeBufferPointer<UInt8>, isPlain: Bool, at position: TextPosition) -> Int32 {
        let start = text.count
        text.append(contentsOf: bytes)
        return appendNode(.scalar, isPlain: isPlain, start: start, count: bytes.count, at: position)
    }

    /// A finished value goes where the enclosing collection expects it.
    private mutating func add(_ node: Int32, size: Int) {
        guard !frames.isEmpty else {
            root = node
            return
        }
        let top = frames.count - 1
        frames[top].size += size
        guard frames[top].isMapping else { return open.append(node) }
        if frames[top].expectsKey {
            frames[top].expectsKey = false
            if nodes[Int(node)].kind == .scalar {
                frames[top].pendingKey = node
            } else {
                frames[top].skipValue = true
                refuse(.error(at: location(ofNode: node), "mapping keys must be plain strings", hint: "manifests only use text keys"))
            }
            return
        }
        frames[top].expectsKey = true
        let key = frames[top].pendingKey
        frames[top].pendingKey = -1
        if frames[top].skipValue {
            frames[top].skipValue = false
            return
        }
        guard key >= 0 else { return }
        if let first = firstKey(equalTo: key, in: top) {
            let place = location(ofNode: first)
            let written = YAMLNode.abbreviate(String(decoding: bytes(of: key), as: UTF8.self))
            refuse(.error(at: location(ofNode: key),
                "duplicate key '\(written)' in the same map, first at \(place.line):\(place.column)",
                hint: "each key may appear only once; remove or merge the repeated one"))
        }
        record(key: key, value: node, in: top)
    }

    /// The first key of map `frame` with the same text as `key`. Maps in manifests are small: a scan
    /// is cheapest; large ones have a table.
    private func firstKey(equalTo key: Int32, in frame: Int) -> Int32? {
        if frames[frame].hasKeyTable {
            return keyTables[keyTables.count - 1][String(decoding: bytes(of: key), as: UTF8.self)]
        }
        var slot = frames[frame].base
        while slot < open.count {
            if sameText(open[slot], key) { return open[slot] }
            slot += 2
        }
        return nil
    }

    /// Only the innermost map records entries, so its key table is the last one.
    private mutating func record(key: Int32, value: Int32, in frame: Int) {
        let base = frames[frame].base
        if !frames[frame].hasKeyTable && (open.count - base) / 2 >= Self.keyTableThreshold {
            var table: [String: Int32] = [:]
            for slot in stride(from: base, to: open.count, by: 2) where table[keyText(open[slot])] == nil {
                table[keyText(open[slot])] = open[slot]
            }
            keyTables.append(table)
            frames[frame].hasKeyTable = true
        }
        if frames[frame].hasKeyTable {
            let text = keyText(key)
            if keyTables[keyTables.count - 1][text] == nil { keyTables[keyTables.count - 1][text] = key }
        }
        open.append(key)
        open.append(value)
    }

    private func bytes(of scalar: Int32) -> ArraySlice<UInt8> {
        let node = nodes[Int(scalar)]
        return text[Int(node.start)..<Int(node.start + node.count)]
    }

    private func keyText(_ scalar: Int32) -> String { String(decoding: bytes(of: scalar), as: UTF8.self) }

    private func sameText(_ one: Int32, _ other: Int32) -> Bool {
        let (a, b) = (nodes[Int(one)], nodes[Int(other)])
        guard a.count == b.count else { return false }
        guard a.count > 0 else { return true }
        return text.withUnsafeBufferPointer { text in
            memcmp(text.baseAddress! + Int(a.start), text.baseAddress! + Int(b.start), Int(a.count)) == 0
        }
    }

    /// Counts `cost` values; true when the document is over its budget (and is then refused).
    private mutating func spend(_ cost: Int, at position: TextPosition) -> Bool {
        remaining -= cost
        guard remaining < 0 else { return false }
        overBudget()
        return true
    }

    private mutating func overBudget() {
        let start = frames.first.map { location(ofNode: $0.node) } ?? location(documentStart ?? TextPosition(line: 1, column: 1))
        refuse(.error(at: start, "document expands to too many nodes (aliases?)",
                      hint: "more than \(documentBudget) values; nested anchors and aliases multiply the size"))
        startSkimming()
    }

    private mutating func refuseAliasKey(at position: TextPosition) {
        refuse(.error(at: location(position), "an alias cannot be used as a mapping key", hint: "write the key as plain text"))
        if !frames.isEmpty {
            frames[frames.count - 1].expectsKey = false
            frames[frames.count - 1].skipValue = true
        }
    }

    private mutating func refuse(_ diagnostic: Diagnostic) {
        refused = true
        diagnostics.append(diagnostic)
    }

    /// Drops what was built; from now on only where keys are expected is followed.
    /// The event that caused it is then skimmed too, so keys and values stay paired.
    private mutating func startSkimming() {
        let slots = frames.map { frame -> Slot in frame.isMapping ? (frame.expectsKey ? .key : .value) : .item }
        frames = []
        open = []
        openAnchors = []
        keyTables = []
        anchors = [:]
        skimSlots = slots
    }

    private mutating func skim(_ event: YAMLEvent) {
        switch event {
        case .scalar:
            skimSlots?.advance()
        case .alias(_, let at):
            if skimSlots?.last == .key { diagnostics.append(.error(at: location(at), "an alias cannot be used as a mapping key",
                                                                   hint: "write the key as plain text")) }
            skimSlots?.advance()
        case .sequenceStart(_, let at), .mappingStart(_, let at):
            if skimSlots?.last == .key { diagnostics.append(.error(at: location(at), "mapping keys must be plain strings",
                                                                   hint: "manifests only use text keys")) }
            skimSlots?.append(Self.isMappingStart(event) ? .key : .item)
        case .sequenceEnd, .mappingEnd:
            _ = skimSlots?.popLast()
            skimSlots?.advance()
        case .streamStart, .streamEnd, .documentStart, .documentEnd:
            break
        }
    }
}

private extension Array where Element == DocumentBuilder.Slot {
    /// A value finished in the innermost collection: a map then expects the other of key and value.
    mutating func advance() {
        guard let last = popLast() else { return }
        append(last == .key ? .value : last == .value ? .key : .item)
    }
}
