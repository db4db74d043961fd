import Foundation
import Hummingbird
import HummingbirdTesting
@testable import InferenceControllerAPI
import InferenceRuntime
import Testing

/// Every route, answer and refusal of the API, on the router (no socket, no process).
@Suite("API routes")
struct APIRouterTests {
    static func app(_ model: FakeModel, token: String? = nil) -> some ApplicationProtocol {
        Application(router: APIRouter.make(model: model, token: token))
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any],
                     "not a JSON object: \(String(buffer: response.body))")
    }

    /// The error body every refusal has: `{"error": {"code": N, "message": "..."}}`.
    static func error(_ response: TestResponse) throws -> (code: Int, message: String) {
        let body = try json(response)
        let error = try #require(body["error"] as? [String: Any], "no error object: \(body)")
        #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
        return (try #require(error["code"] as? Int), try #require(error["message"] as? String))
    }

    @Test("/healthz answers while the controller runs; /readyz only once the first pass has settled")
    func health() async throws {
        let model = FakeModel()
        try await Self.app(model).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let apiError = try Self.error(response)
                #expect(apiError.code == 503)
            }
            model.settle()
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("POST /v1/down holds the directory down and answers with every status; a failure to hold is a 500 with its reason")
    func downNow() async throws {
        let model = FakeModel(statuses: [Fixtures.status("a", phase: .stopped)])
        try await Self.app(model).test(.router) { client in
            try await client.execute(uri: "/v1/down?timeout=30", method: .post) { response in
                #expect(response.status == .ok)
                let body = try Self.json(response)
                #expect(body["settled"] as? Bool == true)
                #expect((body["instances"] as? [[String: Any]])?.first?["phase"] as? String == "Stopped")
            }
            #expect(model.downs == 1)
            try await client.execute(uri: "/v1/down?timeout=0", method: .post) { #expect($0.status == .badRequest) }
            model.downFailure = "open .inferctl/held-down.json: read-only file system"
            try await client.execute(uri: "/v1/down", method: .post) { response in
                #expect(response.status == .internalServerError)
                let apiError = try Self.error(response)
                #expect(apiError.message.contains("read-only file system"))
            }
            #expect(model.downs == 1)
        }
    }

    @Test("POST /v1/apply reconciles now and answers with every status; a bad timeout is 400")
    func applyNow() async throws {
        let model = FakeModel(statuses: [Fixtures.status("a", phase: .ready)])
        try await Self.app(model).test(.router) { client in
            try await client.execute(uri: "/v1/apply?timeout=30", method: .post) { response in
                #expect(response.status == .ok)
                let body = try Self.json(response)
                #expect(body["settled"] as? Bool == true)
                #expect((body["instances"] as? [[String: Any]])?.first?["name"] as? String == "a")
            }
            try await client.execute(uri: "/v1/apply?timeout=-1", method: .post) { response in
                #expect(response.status == .badRequest)
                let apiError = try Self.error(response)
                #expect(apiError.code == 400)
            }
            try await client.execute(uri: "/v1/apply", method: .get) { #expect($0.status == .notFound || $0.status == .methodNotAllowed) }
        }
    }

    @Test("/v1/instances lists every status; /v1/instances/NAME gives one, 404 unknown, 400 not a name")
    func instances() async throws {
        let model = FakeModel(statuses: [Fixtures.status("a", phase: .ready), Fixtures.status("b", phase: .failed, health: .unavailable)])
        try await Self.app(model).test(.router) { client in
            try await client.execute(uri: "/v1/instances", method: .get) { response in
                #expect(response.status == .ok)
                let list = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
                #expect(list.map { $0["name"] as? String } == ["a", "b"])
                #expect(list.first?["phase"] as? String == "Ready")
                #expect(list.first?["base_url"] as? String == "http://127.0.0.1:18080/v1", "the status file's own fields")
            }
            try await client.execute(uri: "/v1/instances/b", method: .get) { response in
                #expect(response.status == .ok)
                let object = try Self.json(response)
                #expect(object["phase"] as? String == "Failed")
            }
            try await client.execute(uri: "/v1/instances/zzz", method: .get) { response in
                #expect(response.status == .notFound)
                let apiError = try Self.error(response)
                #expect(apiError.message == "no instance named zzz")
            }
            for bad in ["/v1/instances/A_B", "/v1/instances/%2E%2E", "/v1/instances/" + String(repeating: "x", count: 300)] {
                try await client.execute(uri: bad, method: .get) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                    let apiError = try Self.error(response)
                    #expect(apiError.message.hasPrefix("not a valid instance name"))
                }
            }
        }
    }

    @Test("/v1/consumers/NAME/endpoint: the descriptor when ready, 409 with the reason when not, 404 unknown")
    func consumerEndpoint() async throws {
        let model = FakeModel(consumers: ["agent": Fixtures.consumer("agent", instance: "a", ready: true),
                                          "late": Fixtures.consumer("late", instance: "b", ready: false)])
        try await Self.app(model).test(.router) { client in
            try await client.execute(uri: "/v1/consumers/agent/endpoint", method: .get) { response in
                #expect(response.status == .ok)
                let endpoint = try Self.json(response)
                #expect(endpoint["base_url"] as? String == "http://127.0.0.1:18080/v1")
                #expect(endpoint["model_identity"] as? String == "sim-model")
            }
            try await client.execute(uri: "/v1/consumers/late/endpoint", method: .get) { response in
                #expect(response.status == .conflict)
                let error = try Self.error(response)
                #expect(error.code == 409)
                #expect(error.message == "consumer late is not ready (InstanceUnhealthy): instance b is Failed: exited 1")
                let detail = try Self.json(response)["error"] as? [String: Any]
                #expect(detail?["reason"] as? String == "InstanceUnhealthy")
            }
            try await client.execute(uri: "/v1/consumers/nobody/endpoint", method: .get) { response in
                #expect(response.status == .notFound)
                let apiError = try Self.error(response)
                #expect(apiError.message == "no consumer named nobody")
            }
        }
    }

    @Test("unknown routes are 404 and other methods 405, both with a JSON error body")
    func refusals() async throws {
        try await Self.app(FakeModel()).test(.router) { client in
            for uri in ["/", "/nothing", "/v1", "/v1/instances/a/b", "/v1/consumers/a"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    let apiError = try Self.error(response)
                    #expect(apiError.message.hasPrefix("no such route: GET"))
                }
            }
            for method: HTTPRequest.Method in [.post, .put, .delete, .patch, .options] {
                try await client.execute(uri: "/v1/instances", method: method, body: ByteBuffer(string: "{\"x\":")) { response in
                    #expect(response.status == .methodNotAllowed)
                    #expect(response.headers[.allow] == "GET")
                    let apiError = try Self.error(response)
                    #expect(apiError.code == 405)
                }
            }
            try await client.execute(uri: "/healthz", method: .head) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
            }
        }
    }

    @Test("with a token every request needs 'Authorization: Bearer <token>': missing and wrong ones get 401")
    func token() async throws {
        try await Self.app(FakeModel(), token: "s3cret-token").test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
                let apiError = try Self.error(response)
                #expect(apiError.code == 401)
            }
            for wrong in ["Bearer s3cret-tokeN", "Bearer s3cret-token2", "Bearer ", "Basic s3cret-token", "s3cret-token"] {
                try await client.execute(uri: "/v1/instances", method: .get, headers: [.authorization: wrong]) { response in
                    #expect(response.status == .unauthorized, "\(wrong)")
                    #expect(!String(buffer: response.body).contains("s3cret"), "the token is never quoted")
                }
            }
            try await client.execute(uri: "/nothing", method: .get) { #expect($0.status == .unauthorized, "routes are not revealed") }
            try await client.execute(uri: "/v1/instances", method: .get, headers: [.authorization: "Bearer s3cret-token"]) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test("/v1/events sends the recent events, then new ones, each as one data: line of JSON")
    func events() async throws {
        let model = FakeModel()
        model.recorder.record(.normal, .started, object: "a", message: "started pid 7 on port 18080")
        model.recorder.record(.warning, .exited, object: "a", message: "pid 7 exited")
        try await Self.app(model).test(.router) { client in
            // The stream stays open while the controller runs; closing the subscriptions ends it.
            Task {
                try await Task.sleep(for: .milliseconds(300))
                model.recorder.record(.normal, .restarting, object: "a", message: "restarting the server")
                try await Task.sleep(for: .milliseconds(100))
                model.recorder.closeSubscriptions()
            }
            try await client.execute(uri: "/v1/events", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/event-stream")
                let text = String(buffer: response.body)
                let data = text.split(separator: "\n").filter { $0.hasPrefix("data: ") }.map { $0.dropFirst(6) }
                #expect(data.count == 3, "\(text)")
                let events = try data.map { try JSONDecoder.iso8601.decode(ControllerEvent.self, from: Data($0.utf8)) }
                #expect(events.map(\.reason) == [.started, .exited, .restarting])
                #expect(events[1].type == .warning && events[1].object == "a" && events[1].count == 1)
            }
        }
    }

    @Test("/metrics is Prometheus text with every metric and label the docs name")
    func metrics() async throws {
        let model = FakeModel(statuses: [Fixtures.status("a", phase: .ready, restarts: 2),
                                         Fixtures.status("b", phase: .failed, health: .unavailable)])
        model.metrics.reconciled("a", result: .succeeded, failure: nil, duration: .milliseconds(12))
        model.metrics.reconciled("b", result: .failed, failure: .exitedBeforeReady, duration: .seconds(2))
        model.metrics.becameReady("a", after: .milliseconds(300))
        model.metrics.probed(.answered, duration: .milliseconds(3))
        try await Self.app(model).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: response.body)
                let problems = PrometheusText.problems(text)
                #expect(problems.isEmpty, "\(problems)\n\(text)")
                for line in [#"inferctl_instance_up{instance="a"} 1.0"#, #"inferctl_instance_up{instance="b"} 0.0"#,
                             #"inferctl_instance_ready{instance="a"} 1.0"#, #"inferctl_instance_ready{instance="b"} 0.0"#,
                             #"inferctl_instance_restarts_total{instance="a"} 2"#,
                             #"inferctl_reconcile_total{result="failed"} 1"#, #"inferctl_reconcile_total{result="backoff"} 0"#,
                             #"inferctl_reconcile_errors_total{reason="ExitedBeforeReady"} 1"#,
                             "inferctl_workqueue_depth 2.0", "inferctl_reconcile_duration_seconds_count 2",
                             #"inferctl_instance_ready_duration_seconds_count{instance="a"} 1"#,
                             #"inferctl_probe_duration_seconds_count{result="answered"} 1"#] {
                    #expect(text.contains(line + "\n"), "missing \(line)")
                }
                #expect(Self.sample(text, #"inferctl_instance_health{"#, contains: #"instance="b""#, #"status="unavailable""#) == "1.0")
                #expect(Self.sample(text, #"inferctl_instance_health{"#, contains: #"instance="b""#, #"status="healthy""#) == "0.0")
            }
            // An instance that is gone loses its series.
            model.statuses = [Fixtures.status("a", phase: .ready, restarts: 3)]
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(!text.contains(#"instance="b""#), "\(text)")
                #expect(text.contains(#"inferctl_instance_restarts_total{instance="a"} 3"#))
            }
        }
    }

    static func sample(_ text: String, _ prefix: String, contains labels: String...) -> String? {
        text.split(separator: "\n").first { line in line.hasPrefix(prefix) && labels.allSatisfy { line.contains($0) } }
            .flatMap { $0.split(separator: " ").last.map(String.init) }
    }
}

extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
