import SelfHostedInferenceCore

/// `inferctl endpoint --env` and `inferctl ensure --env`: `export NAME='value'` lines that
/// `eval "$(…)"` turns into the environment of the commands that follow (dotenv readers accept
/// the `export` prefix too).
enum EndpointEnvironment {
    /// `OPENAI_BASE_URL`, `OPENAI_MODEL`, then `OPENAI_API_KEY` and `INFERCTL_LEASE` when given.
    static func lines(_ endpoint: EndpointDescriptor, apiKey: String?, lease: String? = nil) -> [String] {
        var pairs = [("OPENAI_BASE_URL", endpoint.baseURL), ("OPENAI_MODEL", endpoint.modelIdentity)]
        if let apiKey { pairs.append(("OPENAI_API_KEY", apiKey)) }
        if let lease { pairs.append(("INFERCTL_LEASE", lease)) }
        return pairs.map { "export \($0.0)=\(shellQuoted($0.1))" }
    }

    /// The API key the endpoint needs, read from its reference; nil when it needs none. Throws
    /// when it cannot be read: half an environment would send requests without the key.
    static func apiKey(_ endpoint: EndpointDescriptor) throws -> String? {
        guard let reference = apiKeyReference(endpoint) else { return nil }
        return try SecretResolver().value(of: reference)
    }

    /// The server's API key, by the reference its descriptor carries (`server.apiKey`).
    static func apiKeyReference(_ endpoint: EndpointDescriptor) -> SecretReference? {
        endpoint.secretHeaders.first { $0.key.lowercased() == "authorization" }?.value
    }

    /// Single quotes: nothing inside is expanded; a quote itself is closed, escaped and reopened.
    static func shellQuoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
