import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SelfHostedInferenceCore

/// One OpenAI-compatible chat completion: POST `base_url/chat/completions` with
/// `model = model_identity` and the endpoint's headers (its API key read from its reference).
enum ChatCompletion {
    struct Request: Encodable {
        struct Message: Codable { var role: String; var content: String }
        var model: String
        var messages: [Message]
    }

    struct Response: Decodable {
        struct Choice: Decodable { var message: Request.Message }
        var choices: [Choice]
    }

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    /// The assistant's reply to `prompt`.
    static func send(_ prompt: String, to endpoint: EndpointDescriptor) async throws -> String {
        guard let url = URL(string: endpoint.chatCompletionsURL) else { throw Failed(description: "bad URL \(endpoint.chatCompletionsURL)") }
        var request = URLRequest(url: url, timeoutInterval: 60)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        for (name, value) in try endpoint.requestHeaders() { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = try JSONEncoder().encode(Request(model: endpoint.modelIdentity,
                                                            messages: [.init(role: "user", content: prompt)]))
        let (body, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            throw Failed(description: "\(url) answered \(status): \(String(decoding: body.prefix(500), as: UTF8.self))")
        }
        guard let reply = try JSONDecoder().decode(Response.self, from: body).choices.first?.message.content else {
            throw Failed(description: "\(url) answered without a choice")
        }
        return reply
    }
}
