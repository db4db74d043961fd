import Hummingbird

/// Ollama's error shape: `{"error":"message"}`.
struct OllamaErrorBody: Encodable {
    let error: String

    static func response(_ status: HTTPResponse.Status, _ message: String) -> Response {
        JSONResponses.json(OllamaErrorBody(error: message), status: status)
    }
}
