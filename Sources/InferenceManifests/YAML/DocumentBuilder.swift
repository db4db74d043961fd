import InferenceModel

/// Builds one document's `YAMLNode` tree from libyaml events, keeping every position.
///
/// Guards, all checked as events arrive, so a hostile document costs no more than its text:
/// - every value, and every value an alias repeats, counts against the document's budget, and
///   alias repeats against the file's too: a "billion laughs" is stopped before it is expanded
///   (an alias shares its anchor's tree, so a repeat costs a count, not a copy);
/// - nesting deeper than `maximumDepth` is refused (trees are freed recursively);
/// - keys must be plain text: an alias or a collection used as a key is refused;
/// - every repeated key of every map is reported, each at its own position.
/// A document with any of these problems is left out. Once a document is refused, its remaining
/// events are only followed for key problems, building nothing.
struct DocumentBuilder {
    static let maximumDepth = 1000

    let file: String
    /// Added to event lines: the text was parsed from this line of the file on.
    let lineOffset: Int
    private let documentBudget: Int
    /// Values aliases may still repeat in this file; carried from document to document.
    private(set) var aliasBudget: Int
    private(set) var diagnostics: [Diagnostic] = []

    private var remaining = 0
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var frames: [Frame] = []
    /// Once refused: only where keys are expected is still followed.
    private var skimSlots: [Slot]?
    private var root: YAMLNode?
    private var refused = false
    private(set) var documentStart: TextPosition?

    fileprivate enum Slot { case item, key, value }

    fileprivate struct Frame {
        var isMapping: Bool
        var anchor: String?
        var location: SourceLocation
        var size = 1
        var items: [YAMLNode] = []
        var entries: [YAMLEntry] = []
        var pendingKey: (text: String, location: SourceLocation)?
        /// First place of each key, kept once a map is large enough for scanning its entries to cost.
        var keyPlaces: [String: SourceLocation]?
        /// The key just read was refused; its value is read and dropped.
        var skipValue = false
        var expectsKey = true
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

    mutating func startDocument(at position: TextPosition) {
        documentStart = position
        remaining = documentBudget
        anchors = [:]
        frames = []
        skimSlots = nil
        root = nil
        refused = false
    }

    /// The document read, or nil when it was refused (or empty). `isEmpty` tells the two apart.
    mutating func endDocument() -> (node: YAMLNode?, isEmpty: Bool) {
        defer { anchors = [:]; documentStart = nil }
        if refused { return (nil, false) }
        guard let root else { return (nil, true) }
        return root.isNull ? (nil, true) : (root, false)
    }

    mutating func handle(_ event: YAMLEvent) {
        if skimSlots != nil { return skim(event) }
        switch event {
        case .scalar(let scalar, let anchor, let at):
            if spend(1, at: at) { return skim(event) }
            let node = YAMLNode(content: .scalar(scalar), location: location(at))
            if let anchor { anchors[anchor] = (node, 1) }
            add(node, size: 1)
        case .alias(let anchor, let at):
            if frames.last?.expectsKeyInMapping == true { return refuseAliasKey(at: at) }
            guard let anchored = anchors[anchor] else {
                refuse(.error(at: location(at), "invalid YAML: undefined alias '*\(anchor)'",
                              hint: "an alias repeats an anchor (&\(anchor)) written before it in the same document"))
                return add(YAMLNode(content: .scalar(YAMLScalar(text: "", isPlain: true)), location: location(at)), size: 1)
            }
            if anchored.size > aliasBudget {
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
            var frame = Frame(isMapping: Self.isMappingStart(event), anchor: anchor, location: location(at))
            frame.expectsKey = frame.isMapping
            frames.append(frame)
        case .sequenceEnd, .mappingEnd:
            guard let frame = frames.popLast() else { return }
            let content: YAMLNode.Content = frame.isMapping ? .mapping(frame.entries) : .sequence(frame.items)
            let node = YAMLNode(content: content, location: frame.location)
            if let anchor = frame.anchor { anchors[anchor] = (node, frame.size) }
            add(node, size: frame.size)
        case .streamStart, .streamEnd, .documentStart, .documentEnd:
            break
        }
    }

    private static func isMappingStart(_ event: YAMLEvent) -> Bool {
        if case .mappingStart = event { return true }
        return false
    }

    /// A finished value goes where the enclosing collection expects it.
    private mutating func add(_ node: YAMLNode, size: Int) {
        guard var frame = frames.popLast() else {
            root = node
            return
        }
        frame.size += size
        if !frame.isMapping {
            frame.items.append(node)
        } else if frame.expectsKey {
            frame.expectsKey = false
            if case .scalar(let scalar) = node.content {
                frame.pendingKey = (scalar.text, node.location)
            } else {
                frame.skipValue = true
                refuse(.error(at: node.location, "mapping keys must be plain strings", hint: "manifests only use text keys"))
            }
        } else {
            frame.expectsKey = true
            if frame.skipValue {
                frame.skipValue = false
            } else if let key = frame.pendingKey {
                if let first = frame.firstPlace(of: key.text) {
                    refuse(.error(at: key.location,
                        "duplicate key '\(YAMLNode.abbreviate(key.text))' in the same map, first at \(first.line):\(first.column)",
                        hint: "each key may appear only once; remove or merge the repeated one"))
                }
                frame.record(YAMLEntry(key: key.text, keyLocation: key.location, value: node))
            }
            frame.pendingKey = nil
        }
        frames.append(frame)
    }

    /// Counts `cost` values; true when the document is over its budget (and is then refused).
    private mutating func spend(_ cost: Int, at position: TextPosition) -> Bool {
        remaining -= cost
        guard remaining < 0 else { return false }
        overBudget()
        return true
    }

    private mutating func overBudget() {
        let start = frames.first?.location ?? location(documentStart ?? TextPosition(line: 1, column: 1))
        refuse(.error(at: start, "document expands to too many nodes (aliases?)",
                      hint: "more than \(documentBudget) values; nested anchors and aliases multiply the size"))
        startSkimming()
    }

    private mutating func refuseAliasKey(at position: TextPosition) {
        refuse(.error(at: location(position), "an alias cannot be used as a mapping key", hint: "write the key as plain text"))
        if var frame = frames.popLast() {
            frame.expectsKey = false
            frame.skipValue = true
            frames.append(frame)
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

private extension DocumentBuilder.Frame {
    var expectsKeyInMapping: Bool { isMapping && expectsKey }

    /// Maps in manifests are small: a scan is cheapest. Past a few keys, a dictionary keeps a
    /// hostile map of many keys linear.
    func firstPlace(of key: String) -> SourceLocation? {
        if let keyPlaces { return keyPlaces[key] }
        return entries.first { $0.key == key }?.keyLocation
    }

    mutating func record(_ entry: YAMLEntry) {
        if keyPlaces == nil && entries.count >= 16 {
            keyPlaces = Dictionary(entries.map { ($0.key, $0.keyLocation) }, uniquingKeysWith: { first, _ in first })
        }
        if keyPlaces != nil && keyPlaces?[entry.key] == nil { keyPlaces?[entry.key] = entry.keyLocation }
        entries.append(entry)
    }
}

private extension Array where Element == DocumentBuilder.Slot {
    /// A value finished in the innermost collection: a map then expects the other of key and value.
    mutating func advance() {
        guard let last = popLast() else { return }
        append(last == .key ? .value : last == .value ? .key : .item)
    }
}
