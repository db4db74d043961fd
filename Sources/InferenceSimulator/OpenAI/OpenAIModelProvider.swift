/// What the OpenAI routes need to know about models; llama-server and Ollama
/// modes answer differently (one fixed model vs. an installed-model store).
protocol OpenAIModelProvider: Sendable {
    /// Entries of `GET /v1/models`.
    func listedModels() async -> [OpenAIModelList.Model]
    /// The model name to report for a request, or nil when it does not exist
    /// (the route then answers 404). May have side effects such as loading it.
    func useModel(requested: String?) async -> String?
}

/// llama-server serves exactly one model and accepts any `model` field.
struct SingleModelProvider: OpenAIModelProvider {
    let modelID: String

    func listedModels() async -> [OpenAIModelList.Model] {
        [.init(id: modelID, created: 0, owned_by: "inference-sim")]
    }

    func useModel(requested: String?) async -> String? {
        modelID
    }
}
