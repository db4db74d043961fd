import InferenceModel

/// `{host}`, `{port}`, `{model.path}`, `{model.identity}` in a user's command template.
public enum CommandTemplate {
    public static let placeholders = ["host", "port", "model.path", "model.identity"]

    /// Placeholders used in the template that we do not know, for validation.
    public static func unknownPlaceholders(in command: [String]) -> [String] {
        command.flatMap(placeholderNames).filter { !placeholders.contains($0) }
    }

    public static func render(_ command: [String], values: [String: String]) -> [String] {
        command.map { render($0, values: values) }
    }

    /// One left-to-right pass: a substituted value is never scanned again, so a model named
    /// `{port}` stays `{port}`. Braces around unknown names are kept as written.
    static func render(_ argument: String, values: [String: String]) -> String {
        var result = ""
        var rest = Substring(argument)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest[rest.index(after: open)...]
            if let close = afterOpen.firstIndex(of: "}"), let value = values[String(afterOpen[..<close])] {
                result += value
                rest = afterOpen[afterOpen.index(after: close)...]
            } else {
                result += "{"
                rest = afterOpen
            }
        }
        return result + rest
    }

    static func placeholderNames(in argument: String) -> [String] {
        var names: [String] = []
        var rest = Substring(argument)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { break }
            names.append(String(after[..<close]))
            rest = after[after.index(after: close)...]
        }
        return names
    }
}

/// A launch plan for a server started from a user's command template (openai_compatible, kind: Backend).
enum TemplateLaunch {
    static func plan(_ instance: InstanceManifest, command: [String], context: LaunchContext,
                     probes: (String) -> ProbeSet, healthPath: String, provider: String) -> LaunchPlan {
        let spec = instance.spec
        let identity = spec.model.identity ?? "default"
        let rendered = CommandTemplate.render(command, values: [
            "host": spec.server.host, "port": String(context.port),
            "model.path": spec.model.path ?? "", "model.identity": identity,
        ])
        let root = CommonIssues.root(host: spec.server.host, port: context.port)
        let (plain, secret) = EnvironmentSplit.split(spec.server.env)
        return LaunchPlan(
            executable: rendered[0], arguments: Array(rendered.dropFirst()) + spec.server.extraArgs,
            environment: plain, secretEnvironment: secret, host: spec.server.host, port: context.port,
            probes: probes(root),
            endpoint: EndpointTemplate(baseURL: root + "/v1", healthRef: root + healthPath, modelIdentity: identity,
                                       providerIdentity: provider, apiKey: spec.server.apiKey))
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

extension Substring {
    func range(of target: String) -> Range<Substring.Index>? {
        var start = startIndex
        while start < endIndex {
            if self[start...].hasPrefix(target) {
                return start..<index(start, offsetBy: target.count)
            }
            start = index(after: start)
        }
        return nil
    }
}
