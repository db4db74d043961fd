import Testing
@testable import InferenceRuntime

/// Only URLs that name this machine by address take the socket path; everything else goes
/// through the general client (names to resolve, https, other machines).
@Suite struct LoopbackTargetTests {
    @Test func loopbackAddressesAreTargets() throws {
        let v4 = try #require(LoopbackTarget(url: "http://127.0.0.1:43075/health"))
        #expect(v4.address == .ipv4(0x7F00_0001))
        #expect(v4.port == 43075)
        #expect(v4.hostHeader == "127.0.0.1:43075")
        #expect(v4.target == "/health")
        let v6 = try #require(LoopbackTarget(url: "http://[::1]:8080/v1/models?x=1#frag"))
        #expect(v6.address == .ipv6Loopback)
        #expect(v6.target == "/v1/models?x=1")
        #expect(LoopbackTarget(url: "http://127.1.2.3")?.target == "/")
        #expect(LoopbackTarget(url: "http://127.1.2.3")?.port == 80)
        #expect(LoopbackTarget(url: "http://127.0.0.1:9?q")?.target == "/?q")
    }

    @Test(arguments: ["https://127.0.0.1:1/health", "http://localhost:1/", "http://10.0.0.1:1/", "http://[::2]:1/",
                      "http://127.0.0.1:0/", "http://127.0.0.1:70000/", "http://127.0.0.1:/", "http://user@127.0.0.1:1/",
                      "http://127.0.0.256:1/", "http://127.0.0.1:1/a b", "http://127.0.0.1.5:1/"])
    func otherURLsAreNot(_ url: String) {
        #expect(LoopbackTarget(url: url) == nil)
    }
}
