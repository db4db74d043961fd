import Foundation
import InferenceModel

/// A YAML value with its position: a place in a `YAMLDocument`, read on demand (nothing is copied
/// out until asked for). Keys are always strings: manifests have no use for other keys.
struct YAMLNode {
    enum Content {
        case scalar(YAMLScalar)
        case sequence(YAMLItems)
        case mapping(YAMLEntries)
    }

    let document: YAMLDocument
    let index: Int32

    private var node: YAMLDocument.Node { document.nodes[Int(index)] }

    var location: SourceLocation {
        let node = node
        return SourceLocation(file: document.file, line: Int(node.line), column: Int(node.column))
    }

    /// Line and column in the file, without naming the file.
    var position: TextPosition {
        let node = node
        return TextPosition(line: Int(node.line), column: Int(node.column))
    }

    var content: Content {
        switch node.kind {
        case .scalar: .scalar(YAMLScalar(text: document.string(index), isPlain: node.isPlain))
        case .sequence: .sequence(YAMLItems(document: document, collection: node))
        case .mapping: .mapping(YAMLEntries(document: document, collection: node))
        }
    }

    var isScalar: Bool { node.kind == .scalar }

    var scalar: YAMLScalar? {
        let node = node
        guard node.kind == .scalar else { return nil }
        return YAMLScalar(text: document.string(index), isPlain: node.isPlain)
    }

    var entries: YAMLEntries? {
        let node = node
        return node.kind == .mapping ? YAMLEntries(document: document, collection: node) : nil
    }

    var items: YAMLItems? {
        let node = node
        return node.kind == .sequence ? YAMLItems(document: document, collection: node) : nil
    }

    var isNull: Bool { document.isNull(index) }

    /// A scalar's text (empty for a collection).
    var text: String { node.kind == .scalar ? document.string(index) : "" }
}

/// A scalar's text, copied out of its document.
struct YAMLScalar {
    var text: String
    /// Written without quotes or tag, so `8080`, `true` and `~` mean a number, a boolean and null.
    var isPlain: Bool

    var isNull: Bool { isPlain && (text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL") }
    var bool: Bool? {
        guard isPlain else { return nil }
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }
    var int: Int? { isPlain ? Int(text) : nil }
}

/// One `key: value` of a map.
struct YAMLEntry {
    let document: YAMLDocument
    let keyIndex: Int32
    let valueIndex: Int32

    var value: YAMLNode { YAMLNode(document: document, index: valueIndex) }
    var key: String { document.string(keyIndex) }
    var keyLocation: SourceLocation { YAMLNode(document: document, index: keyIndex).location }
    var keyPosition: TextPosition { YAMLNode(document: document, index: keyIndex).position }

}

/// The entries of a map, in the order written.
struct YAMLEntries: RandomAccessCollection {
    let document: YAMLDocument
    /// Where the map's members (key, value, key, value...) start in the document.
    let start: Int
    let endIndex: Int

    init(document: YAMLDocument, collection: YAMLDocument.Node) {
        self.init(document: document, start: Int(collection.start), count: Int(collection.count) / 2)
    }

    init(document: YAMLDocument, start: Int, count: Int) {
        self.document = document
        self.start = start
        endIndex = count
    }

    var startIndex: Int { 0 }

    subscript(position: Int) -> YAMLEntry {
        let slot = start + 2 * position
        return YAMLEntry(document: document, keyIndex: document.members[slot], valueIndex: document.members[slot + 1])
    }

    /// The position of the entry with this key (keys are unique in a document that was read).
    func position(of key: String) -> Int? {
        document.entryPosition(of: key, membersFrom: start, entries: endIndex)
    }
}

/// The items of a list, in the order written.
struct YAMLItems: RandomAccessCollection {
    let document: YAMLDocument
    let start: Int
    let endIndex: Int

    init(document: YAMLDocument, collection: YAMLDocument.Node) {
        self.document = document
        start = Int(collection.start)
        endIndex = Int(collection.count)
    }

    var startIndex: Int { 0 }

    subscript(position: Int) -> YAMLNode {
        YAMLNode(document: document, index: document.members[start + position])
    }
}

extension YAMLNode {
    /// "a list", "a string 'abc'": what was found, for "expected X, found Y" messages.
    var kindDescription: String {
        switch content {
        case .mapping: return "a map"
        case .sequence: return "a list"
        case .scalar(let scalar):
            if scalar.isNull { return "nothing (null)" }
            if scalar.bool != nil { return "a boolean '\(scalar.text)'" }
            if scalar.int != nil { return "a number \(scalar.text)" }
            if scalar.isPlain, Double(scalar.text) != nil { return "a number \(scalar.text)" }
            return "a string '\(Self.abbreviate(scalar.text))'"
        }
    }

    /// Like `kindDescription` but never shows the value (for secrets).
    var redactedKindDescription: String {
        switch node.kind {
        case .mapping: return "a map"
        case .sequence: return "a list"
        case .scalar: return "a plain value"
        }
    }

    static func abbreviate(_ text: String, limit: Int = 40) -> String {
        // Names are short single lines: returned as they are, without Foundation's slow replace.
        if text.utf8.count <= limit && !text.utf8.contains(UInt8(ascii: "\n")) { return text }
        let singleLine = text.replacingOccurrences(of: "\n", with: "\\n")
        return singleLine.count <= limit ? singleLine : String(singleLine.prefix(limit)) + "..."
    }
}
