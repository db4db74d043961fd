import Foundation
import Glibc
import InferenceBackends
import InferenceSimulator
import Testing
@testable import InferenceRuntime

/// Probes of servers on this machine go over a plain socket: the same answers, the same error
/// words as the general client, a deadline that holds against a server that never answers, and
/// never a header value in an error.
@Suite struct LoopbackHTTPProberTests {
    static func withServer(apiKey: String? = nil, _ body: (SimulatorServer) async throws -> Void) async throws {
        let server = try await SimulatorServer.start(SimulatorOptions(host: "127.0.0.1", port: 0, modelID: "probe-model",
                                                                      apiKey: apiKey, log: { _ in }))
        do { try await body(server) } catch { try? await server.stop(); throw error }
        try await server.stop()
    }

    @Test func answersComeBackWithStatusAndBody() async throws {
        try await Self.withServer { server in
            let prober = LoopbackHTTPProber(fallback: RefusingProber())
            let health = await prober.send(ProbeRequest(.get, server.baseURL + "/health"), headers: [:], timeout: .seconds(60))
            #expect(health == .answered(status: 200, body: #"{"status":"ok"}"#))
            guard case .answered(200, let models) = await prober.send(ProbeRequest(.get, server.baseURL + "/v1/models"),
                                                                     headers: [:], timeout: .seconds(60)) else {
                Issue.record("no answer from /v1/models")
                return
            }
            #expect(models.contains("probe-model"))
        }
    }

    @Test func headersAreSentAndAWrongKeyIsRefusedByTheServer() async throws {
        try await Self.withServer(apiKey: "sk-probe") { server in
            let prober = LoopbackHTTPProber(fallback: RefusingProber())
            let url = server.baseURL + "/v1/models"
            guard case .answered(401, _) = await prober.send(ProbeRequest(.get, url), headers: [:], timeout: .seconds(60)) else {
                Issue.record("a request without the key was not refused")
                return
            }
            guard case .answered(200, _) = await prober.send(ProbeRequest(.get, url), headers: ["authorization": "Bearer sk-probe"],
                                                             timeout: .seconds(60)) else {
                Issue.record("the key was not sent")
                return
            }
        }
    }

    @Test func aClosedPortIsRefused() async throws {
        let port = try closedPort()
        let response = await LoopbackHTTPProber(fallback: RefusingProber())
            .send(ProbeRequest(.get, "http://127.0.0.1:\(port)/health"), headers: [:], timeout: .seconds(60))
        #expect(response == .unreachable("connection refused"))
    }

    @Test func aServerThatNeverAnswersTimesOutOnTime() async throws {
        let (fd, port) = try silentListener()
        defer { close(fd) }
        let clock = ContinuousClock()
        let start = clock.now
        let response = await LoopbackHTTPProber(fallback: RefusingProber())
            .send(ProbeRequest(.get, "http://127.0.0.1:\(port)/health"), headers: [:], timeout: .milliseconds(300))
        #expect(response == .unreachable("timed out"))
        #expect(clock.now - start >= .milliseconds(300))
    }

    @Test func aCancelledProbeEndsAtOnce() async throws {
        let (fd, port) = try silentListener()
        defer { close(fd) }
        let task = Task {
            await LoopbackHTTPProber(fallback: RefusingProber())
                .send(ProbeRequest(.get, "http://127.0.0.1:\(port)/health"), headers: [:], timeout: .seconds(60))
        }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        #expect(await task.value == .unreachable("cancelled"))
    }

    @Test func aHeaderValueThatWouldSplitTheRequestIsRefusedWithoutShowingIt() async throws {
        let key = "sk-secret-part\ninjected: header"
        let response = await LoopbackHTTPProber(fallback: RefusingProber())
            .send(ProbeRequest(.get, "http://127.0.0.1:9/health"), headers: ["authorization": "Bearer \(key)"], timeout: .seconds(2))
        #expect(response == .unreachable(LoopbackHTTPProber.invalidHeader))
    }

    @Test func otherURLsGoThroughTheFallback() async {
        let response = await LoopbackHTTPProber(fallback: RefusingProber())
            .send(ProbeRequest(.get, "http://localhost:9/health"), headers: [:], timeout: .seconds(2))
        #expect(response == .unreachable("fallback"))
    }

    @Test func manyProbesAtOnceAllComeBack() async throws {
        try await Self.withServer { server in
            let prober = LoopbackHTTPProber(fallback: RefusingProber())
            let answers = await withTaskGroup(of: ProbeResponse.self) { group in
                for _ in 0..<300 {
                    group.addTask { await prober.send(ProbeRequest(.get, server.baseURL + "/health"), headers: [:], timeout: .seconds(120)) }
                }
                var all: [ProbeResponse] = []
                for await answer in group { all.append(answer) }
                return all
            }
            #expect(answers.count == 300)
            let odd = answers.filter { $0 != .answered(status: 200, body: #"{"status":"ok"}"#) }
            #expect(odd.isEmpty, "\(Set(odd.map { "\($0)" }))")
        }
    }

    struct RefusingProber: HTTPProber {
        func send(_ request: ProbeRequest, headers: [String: String], timeout: Duration) async -> ProbeResponse {
            .unreachable("fallback")
        }
    }

    /// A port nothing listens on (bound, then closed).
    func closedPort() throws -> Int {
        let (fd, port) = try listener(listening: false)
        close(fd)
        return port
    }

    /// A socket that listens but never accepts nor answers.
    func silentListener() throws -> (Int32, Int) { try listener(listening: true) }

    private func listener(listening: Bool) throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound, !listening || listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
