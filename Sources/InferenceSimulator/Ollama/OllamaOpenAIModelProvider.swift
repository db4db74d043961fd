/// Ollama's OpenAI-compatible endpoints serve installed models and load them on use.
struct OllamaOpenAIModelProvider: OpenAIModelProvider {
    let store: OllamaModelStore

    func listedModels() async -> [OpenAIModelList.Model] {
        await store.installedModels().map {
            .init(id: $0.name.displayName, created: Int($0.modifiedAt.timeIntervalSince1970), owned_by: $0.name.owner)
        }
    }

    func useModel(requested: String?) async -> String? {
        guard let requested, let name = OllamaModelName(requested) else { return nil }
        return await store.load(name, keepAlive: nil)?.name.displayName
    }
}
