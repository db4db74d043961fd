import Hummingbird

/// llama-server's own endpoints besides the OpenAI ones: `/health` and `/props`.
struct LlamaServerRoutes: Sendable {
    let modelID: String

    private struct HealthOK: Encodable {
        let status = "ok"
    }

    private struct Props: Encodable {
        let total_slots = 1
        let model_path: String
        let build_info = "inference-sim"
    }

    func register(on router: Router<BasicRequestContext>) {
        // The loading gate middleware answers 503 before this runs while loading.
        router.get("/health") { _, _ in JSONResponses.json(HealthOK()) }
        router.get("/props") { _, _ in JSONResponses.json(Props(model_path: modelID)) }
    }
}
