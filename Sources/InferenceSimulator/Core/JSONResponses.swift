import Foundation
import Hummingbird
import NIOCore

/// Builds JSON and plain-text responses with stable key order.
///
/// Sorted keys make bodies byte-for-byte predictable, which lets the fixed
/// llama-server bodies (e.g. the 503 "Loading model" one) match exactly.
enum JSONResponses {
    static func encode(_ value: some Encodable) -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding our own value types cannot fail; an empty object keeps clients parsing.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return ByteBuffer(bytes: data)
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: encode(value)))
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The llama-server / OpenAI error shape: `{"error":{"code":N,"message":M,"type":T}}`.
struct OpenAIErrorEnvelope: Encodable {
    struct Detail: Encodable {
        let code: Int
        let message: String
        let type: String
    }
    let error: Detail

    static func response(_ status: HTTPResponse.Status, message: String, type: String) -> Response {
        JSONResponses.json(
            OpenAIErrorEnvelope(error: .init(code: status.code, message: message, type: type)),
            status: status
        )
    }

    static var loadingModel: Response {
        response(.serviceUnavailable, message: "Loading model", type: "unavailable_error")
    }

    static var invalidAPIKey: Response {
        response(.unauthorized, message: "Invalid API Key", type: "authentication_error")
    }

    static func invalidRequest(_ message: String) -> Response {
        response(.badRequest, message: message, type: "invalid_request_error")
    }

    static var notFound: Response {
        response(.notFound, message: "File Not Found", type: "not_found_error")
    }
}

/// Decodes a request body as JSON, turning failures into a readable message.
enum RequestJSON {
    static let maximumBodySize = 16 * 1024 * 1024

    struct DecodingFailure: Error {
        let message: String
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from request: Request) async throws -> Value {
        let buffer = try await request.body.collect(upTo: maximumBodySize)
        do {
            return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw DecodingFailure(message: describe(error))
        } catch {
            throw DecodingFailure(message: "Invalid JSON body: \(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "Invalid JSON body" : "Invalid value at \(path(context.codingPath))"
        case .keyNotFound(let key, let context):
            return "Missing field '\(path(context.codingPath + [key]))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "Invalid type for field '\(path(context.codingPath))'"
        @unknown default:
            return "Invalid JSON body"
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

/// A request refused with a ready-made response; handlers throw it from
/// helpers and `ErrorBodyMiddleware` sends the response as is.
struct RejectedRequest: Error {
    let response: Response

    init(_ response: Response) {
        self.response = response
    }
}
