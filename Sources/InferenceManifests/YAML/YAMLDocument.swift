import Foundation

/// One YAML document as `DocumentBuilder` read it: every value in one array, the members of every
/// collection in a second, all scalar text in a third. No object per value, so a document costs a
/// handful of allocations whatever its size; `YAMLNode` is a position in it.
final class YAMLDocument: Sendable {
    enum Kind: UInt8 {
        case scalar, sequence, mapping
    }

    struct Node {
        var kind: Kind
        /// Scalars written without quotes or tag: `8080`, `true` and `~` mean a number, a boolean and null.
        var isPlain: Bool
        /// In the whole file, 1-based.
        var line: Int32
        var column: Int32
        /// Scalars: where the text starts in `text`, and its length in bytes.
        /// Collections: where the members start in `members`, and how many (a map's are key, value, key, value...).
        var start: Int32
        var count: Int32
    }

    let file: String
    let nodes: [Node]
    let members: [Int32]
    let text: [UInt8]
    let rootIndex: Int32

    init(file: String, nodes: [Node], members: [Int32], text: [UInt8], rootIndex: Int32) {
        self.file = file
        self.nodes = nodes
        self.members = members
        self.text = text
        self.rootIndex = rootIndex
    }

    var root: YAMLNode { YAMLNode(document: self, index: rootIndex) }

    func string(_ index: Int32) -> String {
        let node = nodes[Int(index)]
        return text.withUnsafeBufferPointer { text in
            String(decoding: UnsafeBufferPointer(rebasing: text[Int(node.start)..<Int(node.start + node.count)]), as: UTF8.self)
        }
    }

    /// Whether scalar `index` is the text `other`, compared as bytes (no String is made).
    func scalar(_ index: Int32, equals other: String) -> Bool {
        let node = nodes[Int(index)]
        var other = other
        return other.withUTF8 { other in
            guard other.count == Int(node.count) else { return false }
            guard !other.isEmpty else { return true }
            return text.withUnsafeBufferPointer { text in
                memcmp(text.baseAddress! + Int(node.start), other.baseAddress!, other.count) == 0
            }
        }
    }

    /// The position among the entries of the map whose members start at `start` of the key `key`.
    /// Keys are compared as bytes, the wanted key's bytes taken once: decoders look up every field.
    func entryPosition(of key: String, membersFrom start: Int, entries: Int) -> Int? {
        var key = key
        return key.withUTF8 { wanted in
            text.withUnsafeBufferPointer { text in
                for position in 0..<entries {
                    let keyNode = nodes[Int(members[start + 2 * position])]
                    guard Int(keyNode.count) == wanted.count else { continue }
                    if wanted.isEmpty || memcmp(text.baseAddress! + Int(keyNode.start), wanted.baseAddress!, wanted.count) == 0 {
                        return position
                    }
                }
                return nil
            }
        }
    }

    /// Whether scalars `one` and `other` hold the same text.
    func scalar(_ one: Int32, equalsScalar other: Int32) -> Bool {
        let (a, b) = (nodes[Int(one)], nodes[Int(other)])
        guard a.count == b.count else { return false }
        guard a.count > 0 else { return true }
        return text.withUnsafeBufferPointer { text in
            memcmp(text.baseAddress! + Int(a.start), text.baseAddress! + Int(b.start), Int(a.count)) == 0
        }
    }

    /// A plain `~`, `null` (three spellings) or nothing at all.
    func isNull(_ index: Int32) -> Bool {
        let node = nodes[Int(index)]
        guard node.kind == .scalar, node.isPlain else { return false }
        switch node.count {
        case 0: return true
        case 1: return text[Int(node.start)] == UInt8(ascii: "~")
        case 4: return ["null", "Null", "NULL"].contains { scalar(index, equals: $0) }
        default: return false
        }
    }
}
