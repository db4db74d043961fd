import InferenceModel
import InferenceRuntime

extension EndpointDescriptor {
    /// The headers to send with every request to `baseURL`: the plain `headers`, plus the secret
    /// ones (`secret_headers`, an API key as `authorization: Bearer KEY`) read from their
    /// references (`env:NAME` in this program's environment, `file:PATH`) now. Keep the result
    /// in memory only: the descriptor carries references so that no file of ours holds a secret.
    public func requestHeaders(secrets: SecretResolver = SecretResolver()) throws(SecretResolver.Failure) -> [String: String] {
        headers.merging(try secrets.headers(secretHeaders)) { _, secret in secret }
    }

    /// `baseURL` + `/chat/completions`: where OpenAI chat requests go (`model` = `modelIdentity`).
    public var chatCompletionsURL: String {
        (baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL) + "/chat/completions"
    }
}
