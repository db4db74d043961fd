import SelfHostedInferenceCore

/// `inferctl endpoint --env`: assignments a shell can `eval`, and a dotenv file can hold.
enum EndpointEnvironment {
    /// `OPENAI_BASE_URL`, `OPENAI_MODEL`, and `OPENAI_API_KEY` when given one.
    static func lines(_ endpoint: EndpointDescriptor, apiKey: String?) -> [String] {
        var pairs = [("OPENAI_BASE_URL", endpoint.baseURL), ("OPENAI_MODEL", endpoint.modelIdentity)]
        if let apiKey { pairs.append(("OPENAI_API_KEY", apiKey)) }
        return pairs.map { "\($0.0)=\(shellQuoted($0.1))" }
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
