import InferenceModel

/// `kind: ResidencyGroup` spec: `selector`, `maxRunning`, `memory`.
enum ResidencyGroupDecoder {
    static func decode(_ spec: MapReader) -> ResidencyGroupSpec? {
        defer { spec.finishReading() }
        var result = ResidencyGroupSpec()
        result.selector = spec.stringMap("selector") ?? [:]
        result.maxRunning = spec.int("maxRunning", minimum: 1)
        result.memory = MemoryReader.read(spec, "memory")
        return result
    }
}

/// `24Gi`, `512Mi`, `8G`, or a number of bytes.
enum MemoryReader {
    static let hint = "a number of bytes with an optional unit: Ki, Mi, Gi, Ti (powers of 1024) or k, M, G, T (powers of 1000), e.g. 24Gi"

    static func read(_ map: MapReader, _ key: String) -> MemoryQuantity? {
        guard let node = map.value(key) else { return nil }
        guard let scalar = node.scalar, !scalar.isNull, let quantity = MemoryQuantity.parse(scalar.text) else {
            map.context.error(at: node.location, field: map.fieldPath(key), "expected an amount of memory, found \(node.kindDescription)", hint: hint)
            return nil
        }
        return quantity
    }
}
