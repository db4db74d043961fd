import Foundation

/// Reading the few JSON shapes probes answer with. Tolerant: a probe body that is not what we
/// expect is a reason in a message, never a crash.
enum ProbeText {
    static func json(_ body: String) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(body.utf8))
    }

    /// `{"error":{"message":…}}` (OpenAI, llama-server) or `{"error":"…"}` (Ollama).
    static func errorMessage(in body: String) -> String? {
        guard let object = json(body) as? [String: Any] else { return nil }
        if let error = object["error"] as? [String: Any] { return error["message"] as? String }
        return object["error"] as? String
    }

    /// Model ids from `/v1/models`: `{"data":[{"id":…}]}`.
    static func modelIDs(in body: String) -> [String] {
        guard let object = json(body) as? [String: Any], let data = object["data"] as? [[String: Any]] else { return [] }
        return data.compactMap { $0["id"] as? String }
    }

    static func string(_ key: String, in body: String) -> String? {
        (json(body) as? [String: Any])?[key] as? String
    }

    /// Names listed by Ollama's `/api/ps` or `/api/tags`: `{"models":[{"name":…,"model":…}]}`.
    static func ollamaModelNames(in body: String) -> [String] {
        guard let object = json(body) as? [String: Any], let models = object["models"] as? [[String: Any]] else { return [] }
        return models.flatMap { [$0["name"] as? String, $0["model"] as? String].compactMap { $0 } }
    }

    /// `capabilities` from Ollama's `/api/show`.
    static func ollamaCapabilities(in body: String) -> [String]? {
        (json(body) as? [String: Any])?["capabilities"] as? [String]
    }
}
