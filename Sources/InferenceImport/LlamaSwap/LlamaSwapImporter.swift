import Foundation
import InferenceManifests
import InferenceModel

/// Turns a llama-swap `config.yaml` into our manifests: an Instance per model, an attached Instance
/// per peer model, and ResidencyGroups for what llama-swap's swapping rules (the default single
/// group, legacy `groups`, or `matrix`) let run together. Pure: the environment is passed in.
public struct LlamaSwapImporter: Sendable {
    /// The config's path as the user wrote it, for messages and file headers.
    public var file: String
    /// Its folder, absolute: relative paths in `cmd` are resolved against it.
    public var configDirectory: String
    /// For `${env.NAME}` macros outside secrets.
    public var environment: [String: String]

    public init(file: String, configDirectory: String, environment: [String: String]) {
        self.file = file
        self.configDirectory = configDirectory
        self.environment = environment
    }

    public func convert(_ text: String) -> ImportResult {
        var result = ImportResult()
        let parsed = PlainYAML.documents(text, file: file)
        result.diagnostics += parsed.diagnostics
        if parsed.diagnostics.hasErrors { return result }
        guard parsed.documents.count == 1, let root = parsed.documents.first, let entries = root.entries else {
            result.diagnostics.append(.error(at: SourceLocation(file: file, line: 1, column: 1),
                                             "a llama-swap config is one YAML document: a map with `models`"))
            return result
        }
        var globals = LlamaSwapGlobals(file: file, configDirectory: configDirectory, macros: Macros(environment: environment))
        result.diagnostics += globals.macros.define(root["macros"], field: "macros")
        readGlobals(entries, into: &globals, diagnostics: &result.diagnostics)

        guard let modelsNode = root["models"], let modelEntries = modelsNode.entries, !modelEntries.isEmpty else {
            result.diagnostics.append(.error(at: root["models"]?.location ?? root.location, field: "models",
                                             "a llama-swap config needs `models`, a map of model IDs to settings"))
            return result
        }
        var names = NameBook()
        var models: [ConvertedModel] = []
        for entry in modelEntries {
            var conversion = ModelConversion(id: entry.key, value: entry.value, globals: globals,
                                             name: names.name(for: entry.key, fallback: "model"))
            let model = conversion.convert()
            result.diagnostics += conversion.diagnostics
            if let model { models.append(model) }
        }
        let ids = modelEntries.map(\.key)
        for id in globals.preload where !ids.contains(id) {
            result.diagnostics.append(.error(at: root["hooks"]?.location ?? root.location, field: "hooks.on_startup.preload",
                                             "preloads \(id), which is not a model"))
        }

        var rules = SwapRules(models: ids)
        var groupDiagnostics: [Diagnostic] = []
        ResidencyRules.read(root: root, models: ids, into: &rules, diagnostics: &groupDiagnostics)
        result.diagnostics += groupDiagnostics
        let groups = rules.groups()
        var groupNames = NameBook()
        var residency: [(name: String, members: [String])] = []
        for (index, members) in groups.enumerated() {
            let name = groupNames.name(for: ResidencyRules.groupName(members: members, root: root, index: index, count: groups.count),
                                       fallback: "swap-\(index + 1)")
            residency.append((name, members))
        }
        for group in residency where group.members.count > 1 {
            for id in group.members where globals.preload.contains(id) {
                result.diagnostics.append(.warning(at: root["hooks"]?.location ?? root.location, field: "hooks.on_startup.preload",
                    "\(id) is preloaded, so it runs always (activation: Always), and it shares residency group \(group.name) (maxRunning: 1): it holds the room, and the other members cannot start while it runs",
                    hint: "llama-swap would swap it out; here make it OnDemand (and start it with `inferctl ensure`) or take it out of the group"))
            }
        }
        for model in models {
            let labels = residency.filter { $0.members.contains(model.id) }.map { ("residency.\($0.name)", ManifestYAML.string("member")) }
            result.manifests.append(instanceManifest(model, labels: labels))
        }
        for group in residency {
            let memberNames = group.members.compactMap { id in models.first { $0.id == id }?.name }
            result.manifests.append(groupManifest(group.name, members: memberNames))
        }
        result.manifests += PeerConversion.convert(root["peers"], file: file, environment: environment,
                                                   names: &names, diagnostics: &result.diagnostics)
        return result
    }

    private func readGlobals(_ entries: [PlainYAMLEntry], into globals: inout LlamaSwapGlobals, diagnostics: inout [Diagnostic]) {
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "models", "macros", "groups", "matrix", "peers":
                continue
            case "healthCheckTimeout":
                if let seconds = value.text.flatMap({ Int($0) }) { globals.healthCheckTimeoutSeconds = seconds } else {
                    diagnostics.append(.error(at: value.location, field: entry.key, "expected a number of seconds"))
                }
            case "globalTTL":
                if let seconds = value.text.flatMap({ Int($0) }), seconds >= 0 { globals.globalTTLSeconds = seconds } else {
                    diagnostics.append(.error(at: value.location, field: entry.key, "expected a number of seconds ≥ 0"))
                }
            case "apiKeys":
                readAPIKeys(value, into: &globals, diagnostics: &diagnostics)
            case "hooks":
                let preload = value["on_startup"]?["preload"]?.items ?? []
                globals.preload = Set(preload.compactMap(\.text))
                for other in value.entries ?? [] where other.key != "on_startup" {
                    diagnostics.append(.warning(at: other.keyLocation, field: "hooks.\(other.key)", "unknown hook; not imported"))
                }
            case "startPort":
                diagnostics.append(.warning(at: entry.keyLocation, field: entry.key,
                    "not imported: a model whose cmd uses ${PORT} gets port: auto, a free port picked once and then kept"))
            case "logLevel", "logTimeFormat", "logToStdout", "metricsMaxInMemory", "captureBuffer", "sendLoadingState", "includeAliasesInList":
                diagnostics.append(.warning(at: entry.keyLocation, field: entry.key,
                    "not imported: it configures llama-swap's own proxy or logs (inferctl keeps each server's log: `inferctl logs NAME`)"))
            default:
                diagnostics.append(.warning(at: entry.keyLocation, field: entry.key, "unknown llama-swap setting; not imported"))
            }
        }
    }

    /// llama-swap checks client keys itself; here the server does, so one key is given to every
    /// server. Never copied in clear: `${env.X}` stays a reference to X, a literal key becomes a
    /// reference to LLAMA_SWAP_API_KEY, which the user exports.
    private func readAPIKeys(_ value: PlainYAMLValue, into globals: inout LlamaSwapGlobals, diagnostics: inout [Diagnostic]) {
        guard let items = value.items else {
            diagnostics.append(.error(at: value.location, field: "apiKeys", "expected a list of keys"))
            return
        }
        guard let first = items.first, let text = first.text else { return }
        if let variable = Macros.environmentReference(text) {
            globals.apiKey = .map([("env", .string(variable))])
        } else {
            globals.apiKey = .map([("env", .string("LLAMA_SWAP_API_KEY"))])
            diagnostics.append(.warning(at: first.location, field: "apiKeys[0]",
                "the key is not copied into the manifests: every server reads it from inferctl's environment variable LLAMA_SWAP_API_KEY",
                hint: "export LLAMA_SWAP_API_KEY=<that key> before `inferctl apply`"))
        }
        if items.count > 1 {
            diagnostics.append(.warning(at: items[1].location, field: "apiKeys",
                "only the first key is imported: each server takes one key (server.apiKey)"))
        }
    }

    private func instanceManifest(_ model: ConvertedModel, labels: [(String, ManifestYAML)]) -> ImportedManifest {
        var metadata: [(String, ManifestYAML)] = [("name", .string(model.name))]
        if !labels.isEmpty { metadata.append(("labels", .map(labels))) }
        metadata.append(("annotations", .map(model.annotations)))
        let document = ManifestYAML.map([
            ("apiVersion", .string("inference.selfhosted/v1")), ("kind", .string("Instance")),
            ("metadata", .map(metadata)), ("spec", .map(model.spec)),
        ])
        let header = "# Imported by `inferctl import llama-swap` from \(file), model \"\(model.id)\" (line \(model.location.line)).\n"
        return ImportedManifest(fileName: "\(model.name).instance.yaml", kind: "Instance", name: model.name,
                                summary: "model \(model.id) (line \(model.location.line)): \(model.summary)",
                                text: header + document.rendered())
    }

    private func groupManifest(_ name: String, members: [String]) -> ImportedManifest {
        let document = ManifestYAML.map([
            ("apiVersion", .string("inference.selfhosted/v1")), ("kind", .string("ResidencyGroup")),
            ("metadata", .map([("name", .string(name))])),
            ("spec", .map([("selector", .map([("residency.\(name)", .string("member"))])), ("maxRunning", .int(1))])),
        ])
        let header = "# Imported by `inferctl import llama-swap` from \(file): at most one of \(members.joined(separator: ", ")) runs at a time.\n"
        return ImportedManifest(fileName: "\(name).residencygroup.yaml", kind: "ResidencyGroup", name: name,
                                summary: "maxRunning 1: \(members.joined(separator: ", "))", text: header + document.rendered())
    }
}
