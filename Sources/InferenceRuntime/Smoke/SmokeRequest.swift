import InferenceBackends
import InferenceModel

/// One smoke completion, ready to send: where, what, with which headers and for how long.
public struct SmokeRequest: Sendable {
    public var url: String
    public var body: SmokeRequestBody
    /// Resolved header values (the API key among them): sent, never logged or recorded.
    public var headers: [String: String]
    public var timeout: Duration

    public init(url: String, body: SmokeRequestBody, headers: [String: String] = [:], timeout: Duration) {
        self.url = url
        self.body = body
        self.headers = headers
        self.timeout = timeout
    }

    /// The completion a consumer of `endpoint` would send: `base_url + /chat/completions`,
    /// `model = model_identity`, its headers, its API key read through `secrets`. A `health.smoke`
    /// without a `readiness.smoke` sends the defaults.
    public init(spec: SmokeSpec?, endpoint: EndpointDescriptor, defaultPrompt: String,
                secrets: SecretResolver) throws(SecretResolver.Failure) {
        let spec = spec ?? SmokeSpec()
        var headers = endpoint.headers
        headers.merge(try secrets.headers(endpoint.secretHeaders)) { $1 }
        self.init(url: endpoint.baseURL + "/chat/completions",
                  body: SmokeRequestBody(model: endpoint.modelIdentity, prompt: spec.prompt ?? defaultPrompt,
                                         maxTokens: spec.maxTokens),
                  headers: headers, timeout: spec.timeout.duration)
    }
}
