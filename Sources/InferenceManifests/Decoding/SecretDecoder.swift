import InferenceModel

/// Secrets are named, never written: `{env: NAME}` or `{file: PATH}`.
/// Diagnostics never repeat a value that may be a secret.
enum SecretDecoder {
    static let inlineMessage = "secrets are referenced, never written inline"
    static let referenceHint = "use {env: NAME} or {file: PATH}"
    static let secretWords = ["KEY", "TOKEN", "SECRET", "PASSWORD"]

    /// `{env: NAME}` or `{file: PATH}` (the path resolved against the manifest's folder).
    static func reference(_ node: YAMLNode, field: Field, in context: DecodeContext) -> SecretReference? {
        if node.isScalar {
            context.error(at: node.location, field: field, inlineMessage, hint: referenceHint)
            return nil
        }
        guard let map = MapReader(node, field: field, namedAt: node.location, in: context) else { return nil }
        defer { map.finishReading() }
        let env = map.field("env")
        let file = map.field("file")
        switch (env, file) {
        case (let (env, envField)?, nil):
            guard let name = ValueReader.string(env, field: envField, in: context) else { return nil }
            guard isEnvironmentName(name) else {
                context.error(at: env.location, field: envField,
                              "'\(YAMLNode.abbreviate(name))' is not an environment variable name",
                              hint: "letters, digits and '_', not starting with a digit")
                return nil
            }
            return .environment(name)
        case (nil, let (file, fileField)?):
            guard let written = ValueReader.string(file, field: fileField, in: context) else { return nil }
            guard !written.isEmpty else {
                context.error(at: file.location, field: fileField, "the secret file path is empty")
                return nil
            }
            return .file(PathResolver.resolve(written, against: context.baseDirectory))
        default:
            context.error(at: node.location, field: field, "a secret reference has exactly one of 'env' or 'file'",
                          hint: referenceHint)
            return nil
        }
    }

    /// `server.env`: plain values, or secret references. A plain value under a secret-looking
    /// name (…KEY, …TOKEN, …SECRET, …PASSWORD) is refused: it is almost certainly a secret.
    static func environment(_ node: YAMLNode, field: Field, in context: DecodeContext) -> [String: EnvironmentValue]? {
        guard let entries = node.entries else {
            context.error(at: node.location, field: field, "expected a map of variable names to values, found \(node.kindDescription)")
            return nil
        }
        var values: [String: EnvironmentValue] = [:]
        var failed = false
        for entry in entries {
            let value = entry.value
            let entryPath = context.record(entry.key, of: field, at: value.isScalar ? value.position : entry.keyPosition)
            guard isEnvironmentName(entry.key) else {
                context.error(at: entry.keyLocation, field: entryPath,
                              "'\(YAMLNode.abbreviate(entry.key))' is not an environment variable name",
                              hint: "letters, digits and '_', not starting with a digit")
                failed = true
                continue
            }
            if let scalar = value.scalar {
                if looksSecret(entry.key) && !scalar.isNull {
                    context.error(at: value.location, field: entryPath, inlineMessage, hint: referenceHint)
                    failed = true
                } else {
                    values[entry.key] = .literal(scalar.isNull ? "" : scalar.text)
                }
            } else if value.entries != nil {
                if let reference = reference(value, field: entryPath, in: context) {
                    values[entry.key] = .secret(reference)
                } else {
                    failed = true
                }
            } else {
                context.error(at: value.location, field: entryPath,
                              "expected text or a secret reference, found \(value.redactedKindDescription)")
                failed = true
            }
        }
        return failed ? nil : values
    }

    static func looksSecret(_ name: String) -> Bool {
        let upper = name.uppercased()
        return secretWords.contains { upper.contains($0) }
    }

    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
        }
    }
}
