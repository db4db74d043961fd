import Foundation
import InferenceManifests
import InferenceModel

/// Global settings every model conversion needs.
struct LlamaSwapGlobals {
    var file: String
    /// Relative model and program paths are resolved against the config file's folder.
    var configDirectory: String
    var macros: Macros
    var healthCheckTimeoutSeconds = 120
    var globalTTLSeconds = 0
    var apiKey: ManifestYAML?
    var preload: Set<String> = []
}

/// One llama-swap model, converted to an Instance spec (labels for its residency groups are added later).
struct ConvertedModel {
    var id: String
    var name: String
    var location: SourceLocation
    var annotations: [(String, ManifestYAML)] = []
    var spec: [(String, ManifestYAML)] = []
    var summary: String = ""
}

struct ModelConversion {
    let id: String
    let value: PlainYAMLValue
    let globals: LlamaSwapGlobals
    let name: String
    private(set) var diagnostics: [Diagnostic] = []
    private var macros: Macros

    init(id: String, value: PlainYAMLValue, globals: LlamaSwapGlobals, name: String) {
        self.id = id
        self.value = value
        self.globals = globals
        self.name = name
        macros = globals.macros
        macros.modelID = id
    }

    private var field: String { "models.\(id)" }

    private mutating func warn(_ at: SourceLocation, _ key: String, _ message: String, hint: String? = nil) {
        diagnostics.append(.warning(at: at, field: key.isEmpty ? field : "\(field).\(key)", message, hint: hint))
    }

    private mutating func fail(_ at: SourceLocation, _ key: String, _ message: String, hint: String? = nil) {
        diagnostics.append(.error(at: at, field: key.isEmpty ? field : "\(field).\(key)", message, hint: hint))
    }

    private mutating func expanded(_ node: PlainYAMLValue, _ key: String) -> String? {
        guard let text = node.text else {
            fail(node.location, key, "expected a string")
            return nil
        }
        switch macros.expand(text) {
        case .success(let value): return value
        case .failure(let problem):
            fail(node.location, key, problem.message)
            return nil
        }
    }

    mutating func convert() -> ConvertedModel? {
        guard let entries = value.entries else {
            fail(value.location, "", "a model is a map with at least `cmd`")
            return nil
        }
        diagnostics += macros.define(value["macros"], field: "\(field).macros")
        var model = ConvertedModel(id: id, name: name, location: value.location)
        model.annotations.append(("llama-swap/model-id", .string(id)))
        for entry in entries {
            switch entry.key {
            case "cmd", "proxy", "checkEndpoint", "ttl", "env", "aliases", "useModelName", "macros", "unloadTimeout":
                continue // read below
            case "name", "description":
                if let text = entry.value.text { model.annotations.append(("llama-swap/\(entry.key)", .string(text))) }
            case "cmdStop":
                warn(entry.keyLocation, entry.key, "not imported: inferctl stops a server by signalling its process group (stop.signal, then SIGKILL after stop.gracePeriod)",
                     hint: "a `docker run` command forwards SIGTERM to its container; use stop.signal if the server wants another")
            case "filters":
                warn(entry.keyLocation, entry.key, "not imported: clients reach the server directly, so there is no proxy to rewrite requests",
                     hint: "set sampling parameters in the client or as server flags")
            case "unlisted", "metadata", "concurrencyLimit", "sendLoadingState", "timeouts":
                warn(entry.keyLocation, entry.key, "not imported: it configures llama-swap's proxy, which inferctl does not have")
            default:
                warn(entry.keyLocation, entry.key, "unknown llama-swap model setting; not imported")
            }
        }
        guard let cmdNode = value["cmd"] else {
            fail(value.location, "cmd", "a model needs `cmd`")
            return nil
        }
        guard let cmd = expanded(cmdNode, "cmd") else { return nil }
        let words: [String]
        do {
            words = try CommandWords.split(cmd)
        } catch {
            fail(cmdNode.location, "cmd", "a quote is not closed")
            return nil
        }
        guard !words.isEmpty else {
            fail(cmdNode.location, "cmd", "the command is empty")
            return nil
        }
        let proxy = proxyAddress()
        let identity = value["useModelName"]?.text
        let server = LlamaServerCommand(words: words)
        if LlamaServerCommand.runsLlamaServer(words), server.modelPath != nil {
            llamaCpp(server, identity: identity, proxy: proxy, cmdNode: cmdNode, into: &model)
        } else {
            if LlamaServerCommand.runsLlamaServer(words) {
                warn(cmdNode.location, "cmd", "llama-server without --model (e.g. -hf) is imported as backend openai_compatible with its command")
            }
            genericCommand(words, identity: identity, proxy: proxy, cmdNode: cmdNode, into: &model)
        }
        aliases(into: &model)
        readiness(spawned: true, backendIsLlama: model.spec.first?.1 == .string("llama_cpp"), into: &model)
        activation(into: &model)
        if let grace = value["unloadTimeout"], let text = grace.text, let seconds = Int(text), seconds > 0 {
            model.spec.append(("stop", .map([("gracePeriod", .string("\(seconds)s"))])))
        }
        return model
    }

    /// The host and port of `proxy` (default `http://localhost:${PORT}`).
    private mutating func proxyAddress() -> (host: String?, port: String?, location: SourceLocation?) {
        guard let node = value["proxy"], let proxy = expanded(node, "proxy") else { return (nil, nil, nil) }
        guard let url = URLComponents(string: proxy.replacingAll("${PORT}", with: "1")), let host = url.host else {
            fail(node.location, "proxy", "not a URL")
            return (nil, nil, node.location)
        }
        if !url.path.isEmpty && url.path != "/" {
            warn(node.location, "proxy", "the path \(url.path) is not imported: clients get the server's own base URL (…/v1)")
        }
        let port = proxy.contains("${PORT}") ? "auto" : url.port.map(String.init)
        return (host, port, node.location)
    }

    private mutating func llamaCpp(_ server: LlamaServerCommand, identity: String?, proxy: (host: String?, port: String?, location: SourceLocation?),
                                   cmdNode: PlainYAMLValue, into model: inout ConvertedModel) {
        model.spec.append(("backend", .string("llama_cpp")))
        let modelPath = server.modelPath ?? ""
        if !modelPath.hasPrefix("/") && !modelPath.hasPrefix("~") {
            warn(cmdNode.location, "cmd", "the relative model path \(modelPath) is resolved against the config's folder (\(globals.configDirectory)); llama-swap resolved it against its working directory")
        }
        var modelFields: [(String, ManifestYAML)] = [("path", .string(absolutePath(modelPath)))]
        modelFields.append(("identity", .string(identity ?? server.alias ?? id)))
        model.spec.append(("model", .map(modelFields)))
        var fields: [(String, ManifestYAML)] = []
        if server.binary != "llama-server" { fields.append(("binary", .string(programPath(server.binary)))) }
        if let host = server.host { fields.append(("host", .string(host))) }
        let port = server.port ?? proxy.port
        if let port {
            fields.append(("port", Int(port).map(ManifestYAML.int) ?? .string("auto")))
        } else {
            warn(cmdNode.location, "cmd", "no --port: llama-server's own default (8080) is written as port: 8080")
            fields.append(("port", .int(8080)))
        }
        if let value = server.ctxSize { fields.append(("ctxSize", .int(value))) }
        if let value = server.threads, value >= 1 { fields.append(("threads", .int(value))) }
        if let value = server.parallel, value >= 1 { fields.append(("parallel", .int(value))) }
        if let value = server.gpuLayers { fields.append(("gpuLayers", Int(value).map(ManifestYAML.int) ?? .string(value))) }
        if let value = server.flashAttn { fields.append(("flashAttn", .bool(value))) }
        if server.embeddings { fields.append(("embeddings", .bool(true))) }
        if let value = server.chatTemplate { fields.append(("chatTemplate", .string(value))) }
        if let key = server.apiKey {
            fields.append(("apiKey", secretReference(key, fallbackName: "LLAMA_API_KEY", at: cmdNode.location, key: "cmd", what: "--api-key")))
        } else if let file = server.apiKeyFile {
            fields.append(("apiKey", .map([("file", .string(absolutePath(file)))])))
        } else if let key = globals.apiKey {
            fields.append(("apiKey", key))
        }
        if !server.extraArgs.isEmpty { fields.append(("extraArgs", .list(server.extraArgs.map(ManifestYAML.string)))) }
        if let env = environment() { fields.append(("env", env)) }
        model.spec.append(("server", .map(fields)))
        model.summary = "llama_cpp, port \(port ?? "8080")"
    }

    private mutating func genericCommand(_ words: [String], identity: String?, proxy: (host: String?, port: String?, location: SourceLocation?),
                                         cmdNode: PlainYAMLValue, into model: inout ConvertedModel) {
        model.spec.append(("backend", .string("openai_compatible")))
        model.spec.append(("model", .map([("identity", .string(identity ?? id))])))
        let usesPort = words.contains { $0.contains("${PORT}") }
        var fields: [(String, ManifestYAML)] = []
        if usesPort {
            fields.append(("port", .string("auto")))
        } else if let port = proxy.port, let number = Int(port) {
            fields.append(("port", .int(number)))
        } else {
            fail(cmdNode.location, "cmd", "the command does not use ${PORT} and `proxy` names no port: the server's port is unknown",
                 hint: "use ${PORT} in cmd, or set proxy: http://127.0.0.1:PORT")
        }
        if let key = globals.apiKey { fields.append(("apiKey", key)) }
        if let env = environment() { fields.append(("env", env)) }
        model.spec.append(("server", .map(fields)))
        var command = words.map { $0.replacingAll("${PORT}", with: "{port}") }
        if command[0].contains("/") { command[0] = programPath(command[0]) }
        if command.contains(where: { $0.contains("${PID}") }) {
            fail(cmdNode.location, "cmd", "${PID} is only known to cmdStop")
        }
        model.spec.append(("command", .list(command.map(ManifestYAML.string))))
        model.summary = "openai_compatible, \(usesPort ? "port auto" : "port \(proxy.port ?? "?")"), command \(words[0])"
    }

    /// `env: ["NAME=value", ...]`. A value that is exactly `${env.X}` stays a reference to X; a value
    /// under a secret-looking name is never copied: it becomes a reference to that name.
    private mutating func environment() -> ManifestYAML? {
        guard let node = value["env"] else { return nil }
        guard let items = node.items else {
            fail(node.location, "env", "expected a list of NAME=value strings")
            return nil
        }
        var entries: [(String, ManifestYAML)] = []
        for item in items {
            guard let text = item.text, let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                fail(item.location, "env", "expected NAME=value")
                continue
            }
            let name = String(text[..<equals])
            let raw = String(text[text.index(after: equals)...])
            if let variable = Macros.environmentReference(raw) {
                entries.append((name, .map([("env", .string(variable))])))
            } else if SecretNames.looksSecret(name) {
                entries.append((name, .map([("env", .string(name))])))
                warn(item.location, "env", "the value of \(name) is not copied into the manifest: it is read from inferctl's environment variable \(name) at launch",
                     hint: "export \(name) before `inferctl apply`")
            } else {
                switch macros.expand(raw) {
                case .success(let value): entries.append((name, .string(value)))
                case .failure(let problem): fail(item.location, "env", problem.message)
                }
            }
        }
        return entries.isEmpty ? nil : .map(entries)
    }

    /// A key found in clear becomes a reference to an environment variable the user sets.
    private mutating func secretReference(_ text: String, fallbackName: String, at location: SourceLocation, key: String, what: String) -> ManifestYAML {
        if let variable = Macros.environmentReference(text) { return .map([("env", .string(variable))]) }
        warn(location, key, "\(what) is not copied into the manifest: the server reads it from inferctl's environment variable \(fallbackName)",
             hint: "export \(fallbackName)=<the key> before `inferctl apply`")
        return .map([("env", .string(fallbackName))])
    }

    private mutating func aliases(into model: inout ConvertedModel) {
        guard let node = value["aliases"] else { return }
        guard let items = node.items else {
            fail(node.location, "aliases", "expected a list")
            return
        }
        let names = items.compactMap { $0.text ?? $0["id"]?.text }
        if !names.isEmpty {
            model.annotations.append(("llama-swap/aliases", .string(names.joined(separator: ", "))))
            warn(node.location, "aliases", "kept as the annotation llama-swap/aliases only: clients read the model name to send from the consumer's endpoint",
                 hint: "point a Consumer at this instance; its status file carries model identity")
        }
    }

    private mutating func readiness(spawned: Bool, backendIsLlama: Bool, into model: inout ConvertedModel) {
        var fields: [(String, ManifestYAML)] = []
        if let node = value["checkEndpoint"], let path = expanded(node, "checkEndpoint") {
            if path == "none" {
                warn(node.location, "checkEndpoint", "`none` is not imported: inferctl always waits for readiness; the backend's own probe is used")
            } else if !backendIsLlama || path != "/health" {
                fields.append(("path", .string(path.hasPrefix("/") ? path : "/" + path)))
            }
        } else if !backendIsLlama {
            fields.append(("path", .string("/health"))) // llama-swap's default check
        }
        fields.append(("timeout", .string("\(max(15, globals.healthCheckTimeoutSeconds))s")))
        model.spec.append(("readiness", .map(fields)))
    }

    private mutating func activation(into model: inout ConvertedModel) {
        var ttl = globals.globalTTLSeconds
        var ttlLocation = value.location
        if let node = value["ttl"] {
            ttlLocation = node.location
            if let text = node.text, let seconds = Int(text) {
                if seconds >= 0 { ttl = seconds }
            } else {
                fail(node.location, "ttl", "expected a number of seconds")
            }
        }
        if globals.preload.contains(id) {
            model.spec.append(("activation", .string("Always")))
            model.summary += ", started by apply (preload)"
            if ttl > 0 {
                warn(ttlLocation, "ttl", "not imported for a preloaded model: it runs always (activation: Always), so it is never unloaded when idle")
            }
        } else if ttl > 0 {
            model.spec.append(("activation", .map([("mode", .string("OnDemand")), ("idleTimeout", .string("\(ttl)s"))])))
            model.summary += ", on demand, stopped after \(ttl)s idle"
        } else {
            model.spec.append(("activation", .string("OnDemand")))
            model.summary += ", on demand"
        }
    }

    private func absolutePath(_ path: String) -> String {
        if path.hasPrefix("/") || path.hasPrefix("~") { return path }
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: globals.configDirectory, isDirectory: true)).standardizedFileURL.path
    }

    /// A bare program name is looked up in PATH; a relative path is made absolute.
    private func programPath(_ program: String) -> String {
        program.contains("/") ? absolutePath(program) : program
    }
}

/// The names under which a plain value is refused in `server.env` (see docs/manifests.md).
enum SecretNames {
    static func looksSecret(_ name: String) -> Bool {
        let upper = name.uppercased()
        return ["KEY", "TOKEN", "SECRET", "PASSWORD"].contains { upper.contains($0) }
    }
}
