import Foundation
import Testing

extension EndToEnd {
    @Test("invalid manifests: apply exits 1 with positioned diagnostics and touches nothing")
    func invalidManifestsTouchNothing() async throws {
        try await withWorkspace("invalid") { ws in
            try ws.write("good.yaml", SimInstance(name: "good").yaml)
            try ws.write("bad.yaml", """
            apiVersion: inference.selfhosted/v1
            kind: Instance
            metadata: {name: bad}
            spec:
              backend: simulation
              server: {port: 70000, ctxsize: 2048}

            """)
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 1, "\(apply)")
            #expect(apply.stderr.contains("\(ws.dir)/bad.yaml:6:18: error: spec.server.port:"), "\(apply)")
            #expect(apply.stderr.contains("\(ws.dir)/bad.yaml:6:25: error: spec.server.ctxsize: unknown field 'ctxsize' (did you mean 'ctxSize'?)"),
                    "\(apply)")
            #expect(apply.stderr.contains("Nothing was changed"), "\(apply)")
            #expect(!ws.exists(ws.stateDir), "apply with invalid manifests created \(ws.stateDir)")
            #expect(!ws.exists(ws.instanceStatusPath("good")))
            #expect(Processes.running(inDirectory: ws.dir).isEmpty)

            let plan = try await ws.inferctl("plan", ws.dir)
            #expect(plan.status == 1, "\(plan)")
            #expect(!ws.exists(ws.stateDir))
        }
    }

    @Test("status -o json and logs --tail")
    func statusAndLogs() async throws {
        try await withWorkspace("status-logs") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha").yaml)
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            let pid = try ws.pid("alpha")

            let status = try await ws.inferctl("status", ws.dir, "-o", "json")
            #expect(status.status == 0, "\(status)")
            let list = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]], "\(status)")
            let alpha = try #require(list.map(JSONObject.init).first { $0.string("name") == "alpha" }, "\(status)")
            #expect(alpha.string("phase") == "Ready")
            #expect(alpha.int("pid") == Int(pid))

            let table = try await ws.inferctl("status", ws.dir)
            let row = table.stdout.split(separator: "\n").first { $0.hasPrefix("alpha ") }.map { $0.split(separator: " ").map(String.init) }
            #expect(row?.prefix(4) == ["alpha", "Ready", "healthy", "\(pid)"], "\(table)")

            let logs = try await ws.inferctl("logs", "alpha", ws.dir, "--tail", "5")
            #expect(logs.status == 0, "\(logs)")
            let lines = logs.stdout.split(separator: "\n")
            #expect(lines.count <= 5, "\(logs)")
            #expect(lines.contains { $0.contains("listening on") }, "\(logs)")

            let missing = try await ws.inferctl("logs", "nobody", ws.dir)
            #expect(missing.status == 1, "\(missing)")
        }
    }

    @Test("validate reports every mistake across three files with its position")
    func validateReportsEverything() async throws {
        try await withWorkspace("validate") { ws in
            try ws.write("one.yaml", """
            apiVersion: inference.selfhosted/v2
            kind: Instance
            metadata: {name: Bad_Name}
            spec:
              backend: simulation
              server: {port: 70000, ctxsize: 2048}
              readiness: {timeout: 30}

            """)
            try ws.write("two.yaml", """
            apiVersion: inference.selfhosted/v1
            kind: Instance
            metadata: {name: two}
            spec:
              backend: simulation
              server:
                port: "8080"
                threads: 0
              restart: {policy: Sometimes}
              stop: {signal: SIGUSR1}
            ---
            apiVersion: inference.selfhosted/v1
            kind: Instance
            metadata: {name: ghost}
            spec:
              backend: no_such_backend
            ---
            apiVersion: inference.selfhosted/v1
            kind: Consumer
            metadata: {name: lonely}
            spec:
              instance: nobody

            """)
            try ws.write("sub/three.yaml", """
            apiVersion: inference.selfhosted/v1
            kind: Consumer
            metadata: {name: agent}
            spec:
              instance: ghost
              acceptedProtocols: [carrier_pigeon]
              requiredCapabilities: {streaming: maybe}
            ---
            apiVersion: inference.selfhosted/v1
            kind: Gadget
            metadata: {name: g}

            """)
            let validate = try await ws.inferctl("validate", ws.dir)
            #expect(validate.status == 1, "\(validate)")
            let expected = [
                "one.yaml:1:13: error: apiVersion:",
                "one.yaml:3:18: error: metadata.name:",
                "one.yaml:6:18: error: spec.server.port:",
                "one.yaml:6:25: error: spec.server.ctxsize:",
                "one.yaml:7:24: error: spec.readiness.timeout:",
                "two.yaml:7:11: error: spec.server.port:",
                "two.yaml:8:14: error: spec.server.threads:",
                "two.yaml:9:21: error: spec.restart.policy:",
                "two.yaml:10:18: error: spec.stop.signal:",
                "two.yaml:16:12: error: spec.backend: unknown backend 'no_such_backend'",
                "two.yaml:22:13: error: spec.instance: no instance named 'nobody'",
                "sub/three.yaml:6:23: error: spec.acceptedProtocols[0]:",
                "sub/three.yaml:7:37: error: spec.requiredCapabilities.streaming:",
                "sub/three.yaml:10:7: error: kind:",
            ]
            let lines = validate.stderr.split(separator: "\n").map(String.init)
            for diagnostic in expected {
                #expect(lines.contains { $0.hasPrefix("\(ws.dir)/\(diagnostic)") }, "missing \(diagnostic) in:\n\(validate)")
            }
            #expect(lines.filter { $0.contains(": error: ") }.count == expected.count, "\(validate)")
            #expect(validate.output.contains("Invalid: \(expected.count) errors in 3 files."), "\(validate)")
            #expect(!ws.exists(ws.stateDir))
        }
    }

    @Test("every example folder and the default manifests validate; examples/llama-swap holds a llama-swap config, whose import validates")
    func examplesValidate() async throws {
        let root = repositoryRoot()
        let examples = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("examples").path)
            .map { root.appendingPathComponent("examples").appendingPathComponent($0).path }
            .filter { var isDirectory: ObjCBool = false; return FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && isDirectory.boolValue }
        #expect(examples.count >= 5, "\(examples)")
        let llamaSwap = root.appendingPathComponent("examples/llama-swap").path
        #expect(examples.contains(llamaSwap))
        let imported = NSTemporaryDirectory() + "inferctl-it-example-import-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: imported) }
        let importResult = try await Inferctl.run(["import", "llama-swap", llamaSwap + "/config.yaml", imported],
                                                  environment: ["LLAMA_SWAP_KEY": "unused"])
        #expect(importResult.status == 0, "\(importResult)")
        for folder in examples.sorted().filter({ $0 != llamaSwap }) + [root.appendingPathComponent("manifests").path, imported] {
            let result = try await Inferctl.run(["validate", folder])
            #expect(result.status == 0, "\(result)")
            #expect(!result.stderr.contains(": error: "), "\(result)")
        }
    }
}
