import Foundation
import InferenceModel

/// A YAML value with its position, built from libyaml's events under a size budget (DocumentBuilder).
/// Keys are always strings: manifests have no use for other keys.
struct YAMLNode {
    enum Content {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLEntry])
    }

    var content: Content
    var location: SourceLocation
}

struct YAMLScalar {
    var text: String
    /// Written without quotes or tag, so `8080`, `true` and `~` mean a number, a boolean and null.
    var isPlain: Bool

    var isNull: Bool { isPlain && ["", "~", "null", "Null", "NULL"].contains(text) }
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

struct YAMLEntry {
    var key: String
    var keyLocation: SourceLocation
    var value: YAMLNode
}

extension YAMLNode {
    var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    var entries: [YAMLEntry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    var items: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    var isNull: Bool { scalar?.isNull == true }

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
        switch content {
        case .mapping: return "a map"
        case .sequence: return "a list"
        case .scalar: return "a plain value"
        }
    }

    static func abbreviate(_ text: String, limit: Int = 40) -> String {
        let singleLine = text.replacingOccurrences(of: "\n", with: "\\n")
        return singleLine.count <= limit ? singleLine : String(singleLine.prefix(limit)) + "..."
    }
}
