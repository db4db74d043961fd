import Hummingbird
@testable import InferenceControllerAPI
import Testing

@Suite("--listen and the token")
struct ListenAddressTests {
    @Test("HOST:PORT parses IPv4, bracketed IPv6 and localhost; loopback is 127.0.0.0/8, ::1 and localhost")
    func parsing() throws {
        let cases: [(String, String, Int, Bool)] = [
            ("127.0.0.1:9464", "127.0.0.1", 9464, true), ("127.8.9.10:1", "127.8.9.10", 1, true),
            ("localhost:80", "localhost", 80, true), ("[::1]:9464", "::1", 9464, true),
            ("0.0.0.0:9464", "0.0.0.0", 9464, false), ("192.168.1.5:0", "192.168.1.5", 0, false), ("[::]:9464", "::", 9464, false),
        ]
        for (text, host, port, loopback) in cases {
            let address = try ListenAddress(parsing: text)
            #expect(address.host == host && address.port == port, "\(text)")
            #expect(address.isLoopback == loopback, "\(text)")
            #expect(address.description == text, "\(text)")
        }
    }

    @Test("anything else is refused with what was wrong")
    func refusals() {
        let cases: [(String, ListenAddress.Problem)] = [
            ("9464", .malformed("9464")), (":9464", .malformed(":9464")), ("127.0.0.1:", .malformed("127.0.0.1:")),
            ("::1:9464", .malformed("::1:9464")), ("[::1]9464", .malformed("[::1]9464")),
            ("example.com:80", .badHost("example.com")), ("127.0.0.1:65536", .badPort("65536")), ("127.0.0.1:x", .badPort("x")),
        ]
        for (text, problem) in cases {
            #expect(throws: problem, "\(text)") { try ListenAddress(parsing: text) }
        }
    }

    @Test("the bearer token compares whole, whatever differs")
    func tokenComparison() {
        let token = "abc-123"
        #expect(BearerTokenMiddleware<BasicRequestContext>.matches("Bearer abc-123", token: token))
        for wrong in ["Bearer abc-12", "Bearer abc-1234", "bearer abc-123", "Bearer  abc-123", "abc-123", "Bearer ", ""] {
            #expect(!BearerTokenMiddleware<BasicRequestContext>.matches(wrong, token: token), "\(wrong)")
        }
    }
}
