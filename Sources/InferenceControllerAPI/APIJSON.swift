import Foundation
import Hummingbird
import InferenceRuntime

/// The API's JSON: the same encoding as `inferctl status -o json` and the status files.
enum APIJSON {
    static var encoder: JSONEncoder { JSONCoding.encoder }

    static func response<Value: Encodable>(_ value: Value, status: HTTPResponse.Status = .ok) throws -> Response {
        var data = try encoder.encode(value)
        data.append(0x0A)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
