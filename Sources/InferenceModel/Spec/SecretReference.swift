/// A secret named, never written: `{env: NAME}` or `{file: PATH}`.
/// Only the reference is stored in state and status files; the value is read at launch.
public enum SecretReference: Codable, Sendable, Hashable, CustomStringConvertible {
    case environment(String)
    case file(String)

    enum CodingKeys: String, CodingKey { case env, file }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let name = try c.decodeIfPresent(String.self, forKey: .env) { self = .environment(name) }
        else { self = .file(try c.decode(String.self, forKey: .file)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .environment(let name): try c.encode(name, forKey: .env)
        case .file(let path): try c.encode(path, forKey: .file)
        }
    }

    /// `env:NAME` or `file:PATH`: safe to print.
    public var description: String {
        switch self {
        case .environment(let name): "env:\(name)"
        case .file(let path): "file:\(path)"
        }
    }
}

/// An environment variable for a spawned server: a plain value or a secret by reference.
public enum EnvironmentValue: Codable, Sendable, Hashable {
    case literal(String)
    case secret(SecretReference)

    public init(from decoder: Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            self = .literal(text)
        } else {
            self = .secret(try SecretReference(from: decoder))
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .literal(let text):
            var c = encoder.singleValueContainer()
            try c.encode(text)
        case .secret(let reference):
            try reference.encode(to: encoder)
        }
    }
}
