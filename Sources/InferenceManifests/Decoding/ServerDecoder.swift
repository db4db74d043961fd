import InferenceModel

/// `spec.server` of an Instance: where it listens and how the server program runs.
enum ServerDecoder {
    static let portHint = "a number from 1 to 65535, or auto"

    static func decode(_ map: MapReader) -> ServerSpec {
        defer { map.finishReading() }
        let context = map.context
        var server = ServerSpec()
        if let host = map.string("host") { server.host = host }
        if let (node, field) = map.field("port"), let port = port(node, field: field, in: context) { server.port = port }
        server.ctxSize = map.int("ctxSize", minimum: 0)
        server.threads = map.int("threads", minimum: 1)
        server.parallel = map.int("parallel", minimum: 1)
        server.gpuLayers = map.field("gpuLayers").flatMap { gpuLayers($0.node, field: $0.field, in: context) }
        server.flashAttn = map.bool("flashAttn")
        server.embeddings = map.bool("embeddings")
        server.chatTemplate = map.string("chatTemplate")
        server.apiKey = map.field("apiKey").flatMap { SecretDecoder.reference($0.node, field: $0.field, in: context) }
        // A bare program name is looked up in PATH at launch; only paths are resolved here.
        server.binary = map.string("binary").map { $0.contains("/") ? PathResolver.resolve($0, against: context.baseDirectory) : $0 }
        if let extraArgs = map.stringList("extraArgs") { server.extraArgs = extraArgs }
        if let env = map.field("env").flatMap({ SecretDecoder.environment($0.node, field: $0.field, in: context) }) {
            server.env = env
        }
        return server
    }

    static func port(_ node: YAMLNode, field: Field, in context: DecodeContext) -> PortSetting? {
        guard let scalar = node.scalar else {
            context.error(at: node.location, field: field, "expected a port, found \(node.kindDescription)", hint: portHint)
            return nil
        }
        if scalar.text == "auto" { return .auto }
        guard let number = scalar.int else {
            context.error(at: node.location, field: field, "expected a port, found \(node.kindDescription)", hint: portHint)
            return nil
        }
        guard (1...65535).contains(number) else {
            context.error(at: node.location, field: field, "port \(number) is outside 1-65535", hint: portHint)
            return nil
        }
        return .fixed(number)
    }

    static func gpuLayers(_ node: YAMLNode, field: Field, in context: DecodeContext) -> GPULayers? {
        let hint = "auto, all, or a number of layers"
        if let scalar = node.scalar {
            if scalar.text == "auto" { return .auto }
            if scalar.text == "all" { return .all }
            if let count = scalar.int {
                guard count >= 0 else {
                    context.error(at: node.location, field: field, "must not be negative, found \(count)", hint: hint)
                    return nil
                }
                return .count(count)
            }
        }
        context.error(at: node.location, field: field, "expected a layer count, found \(node.kindDescription)", hint: hint)
        return nil
    }
}
