import InferenceManifests
import InferenceModel

/// llama-swap `peers` (remote OpenAI-compatible servers) become attached `openai_compatible`
/// Instances, one per model they serve: we probe them and hand out their endpoint, never start them.
enum PeerConversion {
    static func convert(_ peers: PlainYAMLValue?, file: String, environment: [String: String], names: inout NameBook,
                        diagnostics: inout [Diagnostic]) -> [ImportedManifest] {
        var manifests: [ImportedManifest] = []
        for peer in peers?.entries ?? [] {
            let field = "peers.\(peer.key)"
            guard let proxy = peer.value["proxy"]?.text, let modelList = peer.value["models"]?.items else {
                diagnostics.append(.error(at: peer.value.location, field: field, "a peer needs `proxy` and `models`"))
                continue
            }
            var apiKey: ManifestYAML?
            if let keyNode = peer.value["apiKey"], let key = keyNode.text, !key.isEmpty {
                let variable = Macros.environmentReference(key) ?? peer.key.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined() + "_API_KEY"
                apiKey = .map([("env", .string(variable))])
                if Macros.environmentReference(key) == nil {
                    diagnostics.append(.warning(at: keyNode.location, field: "\(field).apiKey",
                        "the key is not copied into the manifests: it is read from inferctl's environment variable \(variable)",
                        hint: "export \(variable)=<that key> before `inferctl apply`"))
                }
            }
            for setting in peer.value.entries ?? [] where !["proxy", "models", "apiKey"].contains(setting.key) {
                diagnostics.append(.warning(at: setting.keyLocation, field: "\(field).\(setting.key)",
                    "not imported: it configures llama-swap's proxy; clients reach the peer directly"))
            }
            for modelNode in modelList {
                guard let model = modelNode.text else { continue }
                let name = names.name(for: "\(peer.key)-\(model)", fallback: "peer")
                var server: [(String, ManifestYAML)] = []
                if let apiKey { server.append(("apiKey", apiKey)) }
                var spec: [(String, ManifestYAML)] = [
                    ("backend", .string("openai_compatible")), ("url", .string(proxy)), ("model", .map([("identity", .string(model))])),
                ]
                if !server.isEmpty { spec.append(("server", .map(server))) }
                let document = ManifestYAML.map([
                    ("apiVersion", .string("inference.selfhosted/v1")), ("kind", .string("Instance")),
                    ("metadata", .map([("name", .string(name)),
                                       ("annotations", .map([("llama-swap/peer", .string(peer.key)), ("llama-swap/model-id", .string(model))]))])),
                    ("spec", .map(spec)),
                ])
                let header = "# Imported by `inferctl import llama-swap` from \(file), peer \"\(peer.key)\" model \"\(model)\" (line \(modelNode.location.line)).\n"
                manifests.append(ImportedManifest(fileName: "\(name).instance.yaml", kind: "Instance", name: name,
                                                  summary: "peer \(peer.key) model \(model) (line \(modelNode.location.line)): attached openai_compatible at \(proxy)",
                                                  text: header + document.rendered()))
            }
        }
        return manifests
    }
}
