import Foundation
import InferenceModel
@testable import InferenceRuntime
import Testing

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// A temporary folder for one test's events file.
struct EventsFolder {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "events-test-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    var events: String { path + "/events.jsonl" }
    func lines(_ file: String? = nil) throws -> [String] {
        try String(contentsOfFile: file ?? events, encoding: .utf8).split(separator: "\n").map(String.init)
    }
    func objects(_ file: String? = nil) throws -> [[String: Any]] {
        try lines(file).map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
        }
    }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

@Suite("event recorder")
struct EventRecorderTests {
    @Test("an event is one JSON line with every field")
    func oneLine() throws {
        let folder = try EventsFolder()
        defer { folder.remove() }
        let clock = ManualClock()
        let recorder = EventRecorder(path: folder.events, now: { clock.now })
        recorder.record(.warning, .exited, object: "a", message: "pid 42 exited")
        let objects = try folder.objects()
        #expect(objects.count == 1)
        let event = try #require(objects.first)
        #expect(event["type"] as? String == "Warning")
        #expect(event["reason"] as? String == "Exited")
        #expect(event["object"] as? String == "a")
        #expect(event["message"] as? String == "pid 42 exited")
        #expect(event["count"] as? Int == 1)
        #expect(event["first_time"] as? String == "2027-01-15T08:00:00Z")
        #expect(event["last_time"] as? String == "2027-01-15T08:00:00Z")
    }

    @Test("a repeat within the window raises the count of its line instead of adding one, even between others")
    func repeatsAreCounted() throws {
        let folder = try EventsFolder()
        defer { folder.remove() }
        let clock = ManualClock()
        let recorder = EventRecorder(path: folder.events, repeatWindow: .seconds(60), now: { clock.now })
        recorder.record(.warning, .unavailable, object: "a", message: "health check failed: connection refused")
        clock.advance(10)
        recorder.record(.normal, .ready, object: "b", message: "ready after 0.2s")
        clock.advance(10)
        recorder.record(.warning, .unavailable, object: "a", message: "health check failed: connection refused")
        clock.advance(10)
        recorder.record(.warning, .unavailable, object: "a", message: "health check failed: connection refused")

        let objects = try folder.objects()
        #expect(objects.count == 2, "\((try? folder.lines()) ?? [])")
        #expect(objects[0]["count"] as? Int == 3)
        #expect(objects[0]["first_time"] as? String == "2027-01-15T08:00:00Z")
        #expect(objects[0]["last_time"] as? String == "2027-01-15T08:00:30Z")
        #expect(objects[1]["object"] as? String == "b")
        #expect(objects[1]["count"] as? Int == 1)
        // The recent list has the repeated event last, with its count.
        #expect(recorder.recent().map(\.object) == ["b", "a"])
        #expect(recorder.recent().last?.count == 3)
    }

    @Test("the same event after the window, or with another message, type or object, is a new line")
    func distinctEvents() throws {
        let folder = try EventsFolder()
        defer { folder.remove() }
        let clock = ManualClock()
        let recorder = EventRecorder(path: folder.events, repeatWindow: .seconds(60), now: { clock.now })
        recorder.record(.warning, .exited, object: "a", message: "pid 1 exited")
        recorder.record(.warning, .exited, object: "a", message: "pid 2 exited")
        recorder.record(.warning, .exited, object: "b", message: "pid 2 exited")
        recorder.record(.normal, .exited, object: "b", message: "pid 2 exited")
        recorder.record(.normal, .manifestsChanged, object: nil, message: "manifests changed: reconciling")
        clock.advance(61)
        recorder.record(.warning, .exited, object: "a", message: "pid 1 exited")
        let objects = try folder.objects()
        #expect(objects.count == 6)
        #expect(objects.allSatisfy { $0["count"] as? Int == 1 })
        #expect(objects[4]["object"] == nil, "a controller event has no object")
    }

    @Test("past the size limit the file is rotated, keeping one old file; every line of both parses")
    func rotation() throws {
        let folder = try EventsFolder()
        defer { folder.remove() }
        let clock = ManualClock()
        let recorder = EventRecorder(path: folder.events, maxFileBytes: 2_000, now: { clock.now })
        for index in 0..<100 {
            recorder.record(.warning, .exited, object: "a", message: "pid \(index) exited")
        }
        let current = try folder.objects()
        let old = try folder.objects(folder.events + ".1")
        #expect(!current.isEmpty && !old.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.events + ".2"))
        for file in [folder.events, folder.events + ".1"] {
            let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
            #expect(size <= 2_000, "\(file) is \(size) bytes")
        }
        #expect(current.last?["message"] as? String == "pid 99 exited")
        // A repeat of an event now in the old file starts a line in the new one.
        recorder.record(.warning, .exited, object: "a", message: "pid 0 exited")
        #expect(try folder.objects().last?["message"] as? String == "pid 0 exited")
    }

    @Test("a line cut short by a killed controller is ended, so the next one parses")
    func tornLine() throws {
        let folder = try EventsFolder()
        defer { folder.remove() }
        try #"{"count":1,"type":"Warn"#.write(toFile: folder.events, atomically: false, encoding: .utf8)
        let recorder = EventRecorder(path: folder.events)
        recorder.record(.normal, .ready, object: "a", message: "ready")
        let lines = try folder.lines()
        #expect(lines.count == 2)
        #expect(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) is [String: Any])
    }

    @Test("a symbolic link in place of the file is refused, never written through")
    func symlinkRefused() throws {
        let folder = try EventsFolder()
        defer { folder.remove() }
        let target = folder.path + "/target"
        try "keep\n".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder.events, withDestinationPath: target)
        let problems = Problems()
        let recorder = EventRecorder(path: folder.events, onWriteError: { problems.add($0) })
        recorder.record(.normal, .ready, object: "a", message: "ready")
        recorder.record(.normal, .ready, object: "b", message: "ready")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep\n")
        #expect(problems.all.count == 1, "said once: \(problems.all)")
        #expect(problems.all.first?.contains("symbolic link") == true, "\(problems.all)")
        #expect(recorder.recent().count == 2, "events are still kept in memory")
    }

    @Test("subscribers get the recent events, then each new one and each repeat; closing ends their streams")
    func subscriptions() async throws {
        let recorder = EventRecorder(path: nil)
        recorder.record(.normal, .started, object: "a", message: "started pid 1 on port 2")
        let (recent, stream) = recorder.subscribe()
        #expect(recent.map(\.reason) == [.started])
        recorder.record(.normal, .ready, object: "a", message: "ready")
        recorder.record(.normal, .ready, object: "a", message: "ready")
        recorder.closeSubscriptions()
        var received: [ControllerEvent] = []
        for await event in stream { received.append(event) }
        #expect(received.map(\.count) == [1, 2])
        #expect(recorder.subscriberCount == 0)
        // After closing, a new subscriber's stream ends at once.
        let (_, late) = recorder.subscribe()
        for await _ in late { Issue.record("a closed recorder streams nothing") }
    }
}

final class Problems: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ item: String) { lock.withLock { items.append(item) } }
    var all: [String] { lock.withLock { items } }
}
