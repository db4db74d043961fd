import AsyncHTTPClient
import Foundation
import NIOCore
import SelfHostedInferenceCore

/// `inferctl endpoint` while `inferctl watch` runs: the controller's own answer to
/// `GET /v1/consumers/NAME/endpoint`, refusals included (they carry the reason).
extension ControllerClient {
    enum EndpointAnswer {
        case ready(EndpointDescriptor)
        /// 409: `consumer X is not ready (Reason): message`.
        case notReady(String)
        /// 404: the controller's manifests declare no such consumer.
        case unknown(String)
    }

    static func consumerEndpoint(_ name: String, _ layout: StateLayout) async throws -> EndpointAnswer {
        guard let url = URL(httpURLWithSocketPath: layout.apiSocketPath, uri: "/v1/consumers/\(name)/endpoint") else {
            throw Unreachable(description: "cannot address \(layout.apiSocketPath)")
        }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url.absoluteString), timeout: .seconds(30))
        } catch {
            throw Unreachable(description: "the controller's API at \(layout.apiSocketPath) does not answer: \(error)")
        }
        let body = Data(buffer: try await response.body.collect(upTo: 16 << 20))
        switch response.status.code {
        case 200: return .ready(try JSONCoding.decoder.decode(EndpointDescriptor.self, from: body))
        case 409: return .notReady(errorMessage(body))
        case 404: return .unknown(errorMessage(body))
        default: throw Unreachable(description: "the controller answered \(response.status.code): \(errorMessage(body))")
        }
    }

    /// `error.message` of the API's JSON error body, else the body as text.
    private static func errorMessage(_ body: Data) -> String {
        struct ErrorBody: Decodable {
            struct Detail: Decodable { let message: String }
            let error: Detail
        }
        return (try? JSONDecoder().decode(ErrorBody.self, from: body).error.message) ?? String(decoding: body, as: UTF8.self)
    }
}
