import InferenceModel

/// Capabilities as a map (`{streaming: true, tool_calling: unknown}`) or a list of names (each true).
enum CapabilitiesDecoder {
    static func decode(_ node: YAMLNode, field: Field, in context: DecodeContext) -> Capabilities? {
        switch node.content {
        case .sequence:
            let names = ValueReader.list(node, field: field, in: context) { item, itemField -> String? in
                guard let name = ValueReader.string(item, field: itemField, in: context) else { return nil }
                warnIfTypo(name, at: item.location, field: itemField, in: context)
                return name
            }
            return names.map { Dictionary($0.map { ($0, CapabilityValue.supported(true)) }, uniquingKeysWith: { first, _ in first }) }
        case .mapping(let entries):
            var capabilities: Capabilities = [:]
            var failed = false
            for entry in entries {
                let key = entry.key
                let entryField = context.record(key, of: field, at: entry.value.position)
                warnIfTypo(key, at: entry.keyLocation, field: entryField, in: context)
                if let value = value(entry.value, field: entryField, in: context) {
                    capabilities[key] = value
                } else {
                    failed = true
                }
            }
            return failed ? nil : capabilities
        case .scalar:
            context.error(at: node.location, field: field,
                          "expected a map of capabilities or a list of names, found \(node.kindDescription)",
                          hint: "e.g. {streaming: true, tool_calling: unknown} or [streaming, tool_calling]")
            return nil
        }
    }

    static func value(_ node: YAMLNode, field: Field, in context: DecodeContext) -> CapabilityValue? {
        if let flag = node.scalar?.bool { return .supported(flag) }
        if node.scalar?.text == "unknown" { return .unknown }
        context.error(at: node.location, field: field, "a capability is true, false or unknown, found \(node.kindDescription)")
        return nil
    }

    /// Custom capability names are allowed, but one a letter away from a known name is likely a typo.
    static func warnIfTypo(_ name: String, at location: SourceLocation, field: Field, in context: DecodeContext) {
        guard !CapabilityName.known.contains(name),
              let hint = DidYouMean.hint(for: name, among: CapabilityName.known) else { return }
        context.warning(at: location, field: field, "'\(YAMLNode.abbreviate(name))' is not a well-known capability", hint: hint)
    }
}
