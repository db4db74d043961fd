/// An integer field that reads as 0 when the file has no such key: records written before the field
/// existed stay readable (a record without a `revision` is at revision 0).
@propertyWrapper
public struct ZeroWhenAbsent: Codable, Sendable, Hashable {
    public var wrappedValue: Int

    public init(wrappedValue: Int) {
        self.wrappedValue = wrappedValue
    }

    public init(from decoder: Decoder) throws {
        wrappedValue = try decoder.singleValueContainer().decode(Int.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

extension KeyedDecodingContainer {
    /// Synthesized decoding asks for the key; an absent one is 0 rather than an error.
    public func decode(_ type: ZeroWhenAbsent.Type, forKey key: Key) throws -> ZeroWhenAbsent {
        try decodeIfPresent(type, forKey: key) ?? ZeroWhenAbsent(wrappedValue: 0)
    }
}
