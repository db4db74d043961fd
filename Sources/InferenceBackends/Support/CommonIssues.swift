import InferenceModel

/// Field rules several drivers share.
enum CommonIssues {
    static func attachedURL(_ spec: InstanceSpec, required: Bool) -> [SpecIssue] {
        guard let url = spec.url else {
            return required ? [SpecIssue(field: "spec.url", "an attached instance needs a url",
                                         hint: "e.g. url: http://127.0.0.1:8000/v1")] : []
        }
        return URLText.isHTTP(URLText.normalizedRoot(url)) ? []
            : [SpecIssue(field: "spec.url", "'\(url)' is not an http(s) URL")]
    }

    static func commandTemplate(_ command: [String]?, field: String) -> [SpecIssue] {
        guard let command else { return [] }
        if command.isEmpty { return [SpecIssue(field: field, "the command is empty")] }
        return CommandTemplate.unknownPlaceholders(in: command).map {
            SpecIssue(field: field, "unknown placeholder {\($0)}",
                      hint: "known: " + CommandTemplate.placeholders.map { "{\($0)}" }.joined(separator: " "))
        }
    }

    static func notForSpawnedServers(_ spec: InstanceSpec, backend: String) -> [SpecIssue] {
        var issues: [SpecIssue] = []
        let server = spec.server
        let unused: [(String, Bool)] = [
            ("ctxSize", server.ctxSize != nil), ("threads", server.threads != nil), ("parallel", server.parallel != nil),
            ("gpuLayers", server.gpuLayers != nil), ("flashAttn", server.flashAttn != nil),
            ("embeddings", server.embeddings != nil), ("extraArgs", !server.extraArgs.isEmpty), ("env", !server.env.isEmpty),
        ]
        for (field, present) in unused where present {
            issues.append(SpecIssue(.warning, field: "spec.server.\(field)", "ignored: \(backend) attaches to a server it does not start"))
        }
        return issues
    }

    /// `server.chatTemplate` is llama-server's flag; other servers are told their template their own way.
    static func chatTemplateIgnored(_ spec: InstanceSpec, backend: String) -> [SpecIssue] {
        guard spec.server.chatTemplate != nil else { return [] }
        return [SpecIssue(.warning, field: "spec.server.chatTemplate", "ignored: only llama_cpp passes it (as --chat-template), not \(backend)")]
    }

    /// Readiness and health probe paths must be absolute paths.
    static func probePaths(_ spec: InstanceSpec) -> [SpecIssue] {
        [("spec.readiness.path", spec.readiness.path), ("spec.health.path", spec.health.path)].compactMap { field, path in
            guard let path, !path.hasPrefix("/") else { return nil }
            return SpecIssue(field: field, "'\(path)' must start with '/'")
        }
    }

    static func root(host: String, port: Int) -> String {
        "http://\(URLText.hostForURL(host)):\(port)"
    }
}
