import Foundation
import Testing

/// `inferctl watch`'s API, called as a script would: over its Unix socket, and over TCP with a token.
@Suite("watch API", .serialized, .timeLimit(.minutes(3)))
struct APITests {
    static func socketPath(_ ws: Workspace) -> String { ws.stateDir + "/api.sock" }

    /// Waits for the socket to appear and answer.
    static func waitForAPI(_ endpoint: APIEndpoint) async throws {
        try await eventually("the API to answer", timeout: .seconds(30)) {
            (try? await APIClient.get(endpoint, "/healthz"))?.status == 200
        }
    }

    @Test("every route over the Unix socket, bad input included; events.jsonl and /metrics parse")
    func routesOverTheSocket() async throws {
        try await withWorkspace("api-routes") { ws in
            try ws.write("a.yaml", documents(watchedInstance("a"), consumerYAML("agent", instance: "a")))
            try ws.write("broken.yaml", documents(watchedInstance("broken", extraArgs: ["--exit-before-ready", "3"], policy: "Never"),
                                                  consumerYAML("late", instance: "broken")))
            let watcher = try Watcher(ws)
            let api = APIEndpoint.unixSocket(Self.socketPath(ws))
            try await Self.waitForAPI(api)

            var info = stat()
            #expect(lstat(Self.socketPath(ws), &info) == 0)
            #expect(info.st_mode & S_IFMT == S_IFSOCK)
            #expect(info.st_mode & 0o777 == 0o600, "mode \(String(info.st_mode & 0o777, radix: 8))")

            try await eventually("/readyz 200 once the first pass has settled", timeout: .seconds(30)) {
                try await APIClient.get(api, "/readyz").status == 200
            }
            let pid = try await WatchTests.readyPID(ws, "a")

            // Instances: the same view as `inferctl status -o json`.
            let list = try await APIClient.get(api, "/v1/instances")
            #expect(list.status == 200, "\(list)")
            #expect(list.headers["content-type"]?.hasPrefix("application/json") == true)
            let instances = try #require(list.array, "\(list)")
            #expect(instances.map { $0.string("name") } == ["a", "broken"])
            let status = try await ws.inferctl("status", ws.dir, "-o", "json")
            let cli = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]])
            #expect(cli.map { $0["name"] as? String } == instances.map { $0.string("name") })
            #expect(cli.map { $0["phase"] as? String } == instances.map { $0.string("phase") })
            #expect(instances.first?.int("pid") == Int(pid))

            let one = try await APIClient.get(api, "/v1/instances/a")
            #expect(one.status == 200 && one.object?.string("phase") == "Ready", "\(one)")
            #expect(one.object?.int("pid") == Int(pid))
            let unknown = try await APIClient.get(api, "/v1/instances/nope")
            #expect(unknown.status == 404 && unknown.error?.code == 404 && unknown.error?.message == "no instance named nope", "\(unknown)")
            let badName = try await APIClient.get(api, "/v1/instances/Not_A..Name")
            #expect(badName.status == 400 && badName.error?.code == 400, "\(badName)")

            // Consumers: the resolved endpoint, 409 with the reason, 404.
            let endpoint = try await APIClient.get(api, "/v1/consumers/agent/endpoint")
            #expect(endpoint.status == 200, "\(endpoint)")
            #expect(endpoint.object?.string("base_url") == (try ws.consumerStatus("agent").string("endpoint.base_url")))
            #expect(endpoint.object?.string("model_identity") == "sim-model")
            try await eventually("broken to fail") { (try? ws.instanceStatus("broken").string("phase")) == "Failed" }
            let late = try await APIClient.get(api, "/v1/consumers/late/endpoint")
            #expect(late.status == 409 && late.error?.code == 409, "\(late)")
            #expect(late.error?.message.hasPrefix("consumer late is not ready (InstanceUnhealthy): instance broken is Failed") == true,
                    "\(late)")
            #expect(late.object?.string("error.reason") == "InstanceUnhealthy", "\(late)")
            let nobody = try await APIClient.get(api, "/v1/consumers/nobody/endpoint")
            #expect(nobody.status == 404 && nobody.error?.message == "no consumer named nobody", "\(nobody)")

            // Bad requests: JSON errors, never a crash.
            let route = try await APIClient.get(api, "/v2/everything")
            #expect(route.status == 404 && route.error?.code == 404, "\(route)")
            let post = try await APIClient.get(api, "/v1/instances", method: "POST")
            #expect(post.status == 405 && post.error?.code == 405, "\(post)")
            let garbage = try await APIClient.exchange(api, Array("\u{0}\u{1}GARBAGE / HTTP/9\r\n\r\n".utf8), timeout: 10) { _ in false }
            #expect(garbage.isEmpty || garbage.hasPrefix("HTTP/1.1 4"), "\(garbage)")
            let hugeHeader = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "y", count: 200_000))\r\n\r\n"
            let huge = try await APIClient.exchange(api, Array(hugeHeader.utf8), timeout: 10) { _ in false }
            #expect(huge.isEmpty || huge.hasPrefix("HTTP/1.1 4"), "\(huge.prefix(200))")
            #expect(try await APIClient.get(api, "/healthz").status == 200, "the controller survives bad input")

            // Metrics: Prometheus text with the controller's and the instances' series.
            let metrics = try await APIClient.get(api, "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
            let problems = PrometheusText.problems(metrics.body)
            #expect(problems.isEmpty, "\(problems)")
            for expected in [#"inferctl_instance_up{instance="a"} 1.0"#, #"inferctl_instance_ready{instance="a"} 1.0"#,
                             #"inferctl_instance_ready{instance="broken"} 0.0"#, #"inferctl_instance_restarts_total{instance="a"} 0"#,
                             "# TYPE inferctl_reconcile_total counter", "# TYPE inferctl_reconcile_duration_seconds histogram",
                             "# TYPE inferctl_workqueue_depth gauge", "# TYPE inferctl_instance_ready_duration_seconds histogram",
                             "# TYPE inferctl_probe_duration_seconds histogram", "# HELP inferctl_instance_health "] {
                #expect(metrics.body.contains(expected), "missing \(expected)")
            }
            #expect(metrics.body.contains(#"inferctl_reconcile_errors_total{reason="ExitedBeforeReady"}"#), "\(metrics.body)")

            // Events: the recent ones on connect, then live ones (a killed server's exit and restart).
            let recent = try await APIClient.stream(api, "/v1/events", timeout: 10) { $0.contains(#""reason":"Ready""#) }
            let frames = Self.dataLines(recent)
            #expect(frames.contains { $0.string("reason") == "Started" && $0.string("object") == "a" }, "\(recent)")
            async let live = APIClient.stream(api, "/v1/events", timeout: 30) { $0.contains(#""reason":"Restarting""#) }
            try await Task.sleep(for: .milliseconds(300))
            kill(pid, SIGKILL)
            let liveFrames = Self.dataLines(try await live)
            #expect(liveFrames.contains { $0.string("reason") == "Exited" && $0.string("type") == "Warning" && $0.string("object") == "a" },
                    "\(liveFrames)")

            // events.jsonl: one JSON object per line, with every field.
            let lines = try String(contentsOfFile: ws.stateDir + "/events.jsonl", encoding: .utf8).split(separator: "\n")
            #expect(!lines.isEmpty)
            for line in lines {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
                for field in ["type", "reason", "message", "first_time", "last_time", "count"] {
                    #expect(object[field] != nil, "no \(field) in \(line)")
                }
            }
            #expect(lines.contains { $0.contains(#""reason":"ExitedBeforeReady""#) || $0.contains(#""object":"broken""#) })

            let output = try await watcher.stop()
            #expect(output.status == 0, "\(output)")
            #expect(output.stdout.contains("API listening on \(Self.socketPath(ws))"), "\(output)")
            #expect(!ws.exists(Self.socketPath(ws)), "the socket is removed when the controller ends")
        }
    }

    @Test("TCP with --token-file: no token or a wrong one is 401, the right one works; the socket needs none")
    func tcpWithToken() async throws {
        try await withWorkspace("api-tcp") { ws in
            try ws.write("a.yaml", watchedInstance("a"))
            try ws.write("token", "  tok-\(UUID().uuidString)\n")
            let token = try String(contentsOfFile: ws.path("token"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let port = APIClient.freePort()
            let watcher = try Watcher(ws, ["--listen", "127.0.0.1:\(port)", "--token-file", ws.path("token")])
            let tcp = APIEndpoint.tcp(port: port)
            try await eventually("the TCP listener", timeout: .seconds(30)) {
                (try? await APIClient.get(tcp, "/healthz")) != nil
            }
            let missing = try await APIClient.get(tcp, "/v1/instances")
            #expect(missing.status == 401 && missing.error?.code == 401, "\(missing)")
            #expect(missing.headers["www-authenticate"] == "Bearer")
            let wrong = try await APIClient.get(tcp, "/v1/instances", headers: ["Authorization": "Bearer \(token)x"])
            #expect(wrong.status == 401, "\(wrong)")
            #expect(!wrong.body.contains(token))
            let right = try await APIClient.get(tcp, "/v1/instances", headers: ["Authorization": "Bearer \(token)"])
            #expect(right.status == 200, "\(right)")
            try await Self.waitForAPI(.unixSocket(Self.socketPath(ws)))
            let output = try await watcher.stop()
            #expect(output.status == 0, "\(output)")
            #expect(!output.output.contains(token), "the token is never printed")
        }
    }

    @Test("a non-loopback --listen without --token-file, or --token-file without --listen, is refused at start")
    func exposedListenerRefused() async throws {
        try await withWorkspace("api-refuse") { ws in
            try ws.write("a.yaml", watchedInstance("a"))
            let exposed = try await ws.inferctl("watch", ws.dir, "--listen", "0.0.0.0:\(APIClient.freePort())")
            #expect(exposed.status == 1, "\(exposed)")
            #expect(exposed.stderr.contains("is not a loopback address") && exposed.stderr.contains("--token-file"), "\(exposed)")
            let tokenOnly = try await ws.inferctl("watch", ws.dir, "--token-file", ws.path("a.yaml"))
            #expect(tokenOnly.status == 1, "\(tokenOnly)")
            let malformed = try await ws.inferctl("watch", ws.dir, "--listen", "example.com:80")
            #expect(malformed.status == 1 && malformed.stderr.contains("not an IP address"), "\(malformed)")
            let busy = try #require(APIClient.listeningSocket(), "cannot hold a port for the test")
            defer { close(busy.fd) }
            let inUse = try await ws.inferctl("watch", ws.dir, "--listen", "127.0.0.1:\(busy.port)")
            #expect(inUse.status == 1 && inUse.stderr.contains("cannot listen on 127.0.0.1:\(busy.port)"), "\(inUse)")
            #expect(!ws.exists(ws.stateDir + "/instances"), "nothing was started")
        }
    }

    @Test("a socket left by a killed controller is replaced by the next one")
    func staleSocketReplaced() async throws {
        try await withWorkspace("api-stale") { ws in
            try ws.write("a.yaml", watchedInstance("a"))
            let first = try Watcher(ws)
            try await Self.waitForAPI(.unixSocket(Self.socketPath(ws)))
            kill(first.command.pid, SIGKILL)
            _ = try await first.command.finish()
            #expect(ws.exists(Self.socketPath(ws)), "SIGKILL leaves the socket file behind")
            let second = try Watcher(ws)
            try await Self.waitForAPI(.unixSocket(Self.socketPath(ws)))
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: ws.stateDir).filter { $0.hasPrefix(".api-socket-") }
            #expect(leftovers.isEmpty, "\(leftovers)")
            #expect(try await second.stop().status == 0)
        }
    }

    @Test("an open event stream ends when the controller does: SIGTERM is not held up by it")
    func eventStreamEndsOnShutdown() async throws {
        try await withWorkspace("api-sse-stop") { ws in
            try ws.write("a.yaml", watchedInstance("a"))
            let watcher = try Watcher(ws)
            let api = APIEndpoint.unixSocket(Self.socketPath(ws))
            try await Self.waitForAPI(api)
            _ = try await WatchTests.readyPID(ws, "a")
            async let stream = APIClient.stream(api, "/v1/events", timeout: 30) { _ in false }
            try await Task.sleep(for: .milliseconds(500))
            let clock = ContinuousClock()
            let started = clock.now
            let output = try await watcher.stop()
            let raw = try await stream
            #expect(output.status == 0, "\(output)")
            #expect(clock.now - started < .seconds(10), "stopping took \(clock.now - started)")
            #expect(raw.hasSuffix("0\r\n\r\n"), "the stream was ended properly: \(raw.suffix(200))")
            #expect(Self.dataLines(raw).contains { $0.string("reason") == "Ready" })
        }
    }

    /// The JSON of every `data:` line of an event stream.
    static func dataLines(_ raw: String) -> [JSONObject] {
        let body = (try? APIClient.parse(raw).body) ?? ""
        return body.split(separator: "\n").compactMap { line -> JSONObject? in
            guard line.hasPrefix("data: ") else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any]).map(JSONObject.init)
        }
    }
}
