import InferenceModel

/// `kind: Instance` spec. Fields left out keep the model's defaults; a field that fails to
/// decode is reported and also keeps its default (the document is dropped from the state anyway).
enum InstanceDecoder {
    static func decode(_ spec: MapReader) -> InstanceSpec? {
        defer { spec.finishReading() }
        let backend = spec.requiredString("backend",
            hint: "a built-in backend (\(BuiltinBackendNames.all.joined(separator: ", "))) or a kind: Backend name")
        var result = InstanceSpec(backend: backend ?? "")
        result.startupKind = spec.choice("startupKind", as: StartupKind.self)
        result.managementMode = spec.field("managementMode").flatMap {
            ManagementModeChoice.read($0.node, field: $0.field, in: spec.context)
        }
        if let surface = spec.choice("surface", as: ExecutionSurface.self) { result.surface = surface }
        if let model = spec.map("model") { result.model = decodeModel(model) }
        if let server = spec.map("server") { result.server = ServerDecoder.decode(server) }
        result.command = spec.stringList("command")
        result.url = spec.string("url")
        if let readiness = spec.map("readiness") { result.readiness = decodeReadiness(readiness) }
        if let health = spec.map("health") { result.health = decodeHealth(health) }
        if let restart = spec.map("restart") { result.restart = decodeRestart(restart) }
        if let stop = spec.map("stop") { result.stop = decodeStop(stop) }
        if let activation = decodeActivation(spec) { result.activation = activation }
        if let ollama = spec.map("ollama") { result.ollama = decodeOllama(ollama) }
        if let rollout = spec.map("rollout") {
            result.rollout = RolloutSpec(strategy: rollout.choice("strategy", as: RolloutStrategy.self))
            rollout.finishReading()
        }
        if let resources = spec.map("resources") {
            result.resources = ResourcesSpec(memory: MemoryReader.read(resources, "memory"))
            resources.finishReading()
        }
        return backend == nil ? nil : result
    }

    static func decodeModel(_ map: MapReader) -> ModelSpec {
        defer { map.finishReading() }
        let path = map.string("path").map { PathResolver.resolve($0, against: map.context.baseDirectory) }
        return ModelSpec(path: path, identity: map.string("identity"))
    }

    static func decodeReadiness(_ map: MapReader) -> ReadinessSpec {
        defer { map.finishReading() }
        var readiness = ReadinessSpec()
        if let timeout = map.duration("timeout") { readiness.timeout = timeout }
        readiness.stallTimeout = map.duration("stallTimeout")
        readiness.path = map.string("path")
        if let smoke = map.map("smoke") { readiness.smoke = decodeSmoke(smoke) }
        return readiness
    }

    /// `readiness.smoke`: written at all (even `{}` or empty) turns it on; each field has a default.
    static func decodeSmoke(_ map: MapReader) -> SmokeSpec {
        defer { map.finishReading() }
        var smoke = SmokeSpec()
        smoke.prompt = map.string("prompt")
        if let maxTokens = map.int("maxTokens", minimum: 1) { smoke.maxTokens = maxTokens }
        if let timeout = map.duration("timeout") { smoke.timeout = timeout }
        return smoke
    }

    static func decodeHealth(_ map: MapReader) -> HealthSpec {
        defer { map.finishReading() }
        var health = HealthSpec()
        if let interval = map.duration("interval") { health.interval = interval }
        if let threshold = map.int("failureThreshold", minimum: 1) { health.failureThreshold = threshold }
        health.path = map.string("path")
        if let smoke = map.map("smoke") {
            var healthSmoke = HealthSmokeSpec()
            if let interval = smoke.duration("interval") { healthSmoke.interval = interval }
            smoke.finishReading()
            health.smoke = healthSmoke
        }
        return health
    }

    static func decodeRestart(_ map: MapReader) -> RestartSpec {
        defer { map.finishReading() }
        var restart = RestartSpec()
        if let policy = map.choice("policy", as: RestartPolicy.self) { restart.policy = policy }
        if let backoff = map.duration("backoff") { restart.backoff = backoff }
        if let maxBackoff = map.duration("maxBackoff") { restart.maxBackoff = maxBackoff }
        return restart
    }

    static func decodeStop(_ map: MapReader) -> StopSpec {
        defer { map.finishReading() }
        var stop = StopSpec()
        if let (node, field) = map.field("signal"),
           let signal = ValueReader.choice(node, field: field, allowed: StopSpec.allowedSignals,
                                           in: map.context, parse: { StopSpec.allowedSignals.contains($0) ? $0 : nil }) {
            stop.signal = signal
        }
        if let grace = map.duration("gracePeriod") { stop.gracePeriod = grace }
        return stop
    }

    /// `activation: OnDemand` or `activation: {mode: OnDemand, idleTimeout: 15m}`.
    static func decodeActivation(_ spec: MapReader) -> ActivationSpec? {
        guard let (node, field) = spec.field("activation") else { return nil }
        if node.isScalar {
            return ValueReader.choice(node, field: field, as: ActivationMode.self, in: spec.context)
                .map { ActivationSpec(mode: $0) }
        }
        guard let map = spec.map("activation") else { return nil }
        defer { map.finishReading() }
        var activation = ActivationSpec()
        if let mode = map.choice("mode", as: ActivationMode.self) { activation.mode = mode }
        activation.idleTimeout = map.duration("idleTimeout")
        return activation
    }

    static func decodeOllama(_ map: MapReader) -> OllamaSpec {
        defer { map.finishReading() }
        var ollama = OllamaSpec()
        if let preload = map.bool("preload") { ollama.preload = preload }
        // Ollama's keep_alive is a duration or a number (-1: forever), passed through as written.
        ollama.keepAlive = map.string("keepAlive")
        return ollama
    }
}
