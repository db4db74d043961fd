import Foundation
import InferenceModel

/// Keeps the controller's events: counts repeats, writes each to `events.jsonl`, remembers the
/// recent ones and hands each to the API's event-stream subscribers.
///
/// A repeat (same type, reason, object and message) within `repeatWindow` of its last occurrence
/// raises the event's `count` and `last_time`: its line in the file is rewritten where it stands
/// (lines are written with a fixed-width count, so the length does not change), and subscribers
/// get the updated event again.
public final class EventRecorder: EventSink, @unchecked Sendable {
    /// Room for the count in a line, so a repeat can be rewritten in place.
    static let countWidth = 10
    /// Distinct events remembered for counting repeats; the oldest are forgotten first.
    static let trackedLimit = 512

    private struct Tracked {
        var event: ControllerEvent
        var line: [UInt8]
        var location: EventLogFile.Location?
    }

    private let file: EventLogFile?
    private let repeatWindow: TimeInterval
    private let recentLimit: Int
    private let now: @Sendable () -> Date
    private let onWriteError: @Sendable (String) -> Void

    private let lock = NSLock()
    // Guarded by `lock`.
    private var tracked: [ControllerEvent.Identity: Tracked] = [:]
    private var recentEvents: [ControllerEvent] = []
    private var subscribers: [UUID: AsyncStream<ControllerEvent>.Continuation] = [:]
    private var closed = false
    private var writeFailing = false

    /// - Parameters:
    ///   - path: the events file (`StateLayout.eventsPath`), or nil to keep events in memory only.
    ///   - onWriteError: told once when the file cannot be written (and again after it recovered).
    public init(path: String?, maxFileBytes: Int = 1 << 20, repeatWindow: Duration = .seconds(300), recentLimit: Int = 100,
                now: @escaping @Sendable () -> Date = { Date() }, onWriteError: @escaping @Sendable (String) -> Void = { _ in }) {
        self.file = path.map { EventLogFile(path: $0, maxBytes: maxFileBytes) }
        self.repeatWindow = Double(repeatWindow.components.seconds) + Double(repeatWindow.components.attoseconds) / 1e18
        self.recentLimit = recentLimit
        self.now = now
        self.onWriteError = onWriteError
    }

    public func record(_ type: ControllerEvent.Kind, _ reason: ConditionReason, object: String?, message: String) {
        let time = now()
        let identity = ControllerEvent.Identity(type: type, reason: reason, object: object, message: message)
        var writeError: String?
        let (event, listeners) = lock.withLock { () -> (ControllerEvent, [AsyncStream<ControllerEvent>.Continuation]) in
            forgetStale(at: time)
            var entry: Tracked
            if var previous = tracked[identity] {
                previous.event.count += 1
                previous.event.lastTime = max(previous.event.lastTime, time)
                entry = previous
            } else {
                entry = Tracked(event: ControllerEvent(type: type, reason: reason, message: message, object: object,
                                                       firstTime: time, lastTime: time), line: [], location: nil)
            }
            writeError = write(&entry)
            tracked[identity] = entry
            recentEvents.removeAll { $0.identity == identity }
            recentEvents.append(entry.event)
            if recentEvents.count > recentLimit { recentEvents.removeFirst(recentEvents.count - recentLimit) }
            return (entry.event, Array(subscribers.values))
        }
        if let writeError { onWriteError(writeError) }
        for listener in listeners { listener.yield(event) }
    }

    /// The most recent events, oldest first (a repeated event counts as recent as its last time).
    public func recent() -> [ControllerEvent] {
        lock.withLock { recentEvents }
    }

    /// The recent events and, atomically with them, a stream of every later one. The stream ends
    /// when `closeSubscriptions()` is called; a subscriber that falls far behind loses the oldest.
    public func subscribe() -> (recent: [ControllerEvent], stream: AsyncStream<ControllerEvent>) {
        let (stream, continuation) = AsyncStream.makeStream(of: ControllerEvent.self, bufferingPolicy: .bufferingNewest(1000))
        let id = UUID()
        let recent = lock.withLock { () -> [ControllerEvent] in
            if closed {
                continuation.finish()
            } else {
                subscribers[id] = continuation
            }
            return recentEvents
        }
        continuation.onTermination = { [weak self] _ in
            self?.lock.withLock { _ = self?.subscribers.removeValue(forKey: id) }
        }
        return (recent, stream)
    }

    /// Ends every subscriber's stream, now and for later subscribers (graceful shutdown: an open
    /// event stream must not keep the server from stopping).
    public func closeSubscriptions() {
        let listeners = lock.withLock { () -> [AsyncStream<ControllerEvent>.Continuation] in
            closed = true
            defer { subscribers.removeAll() }
            return Array(subscribers.values)
        }
        listeners.forEach { $0.finish() }
    }

    public var subscriberCount: Int { lock.withLock { subscribers.count } }

    // MARK: Under the lock

    private func forgetStale(at time: Date) {
        tracked = tracked.filter { time.timeIntervalSince($0.value.event.lastTime) <= repeatWindow }
        if tracked.count >= Self.trackedLimit {
            let oldest = tracked.sorted { $0.value.event.lastTime < $1.value.event.lastTime }.prefix(tracked.count - Self.trackedLimit + 1)
            for (identity, _) in oldest { tracked.removeValue(forKey: identity) }
        }
    }

    /// Writes the entry's line: in place over its previous line when it can, else appended.
    /// Returns a message for the first failure after a success.
    private func write(_ entry: inout Tracked) -> String? {
        guard let file else { return nil }
        do {
            let line = try Self.line(for: entry.event)
            if let location = entry.location, try file.rewrite(entry.line, with: line, at: location) {
                entry.line = line
            } else {
                entry.location = try file.append(line)
                entry.line = line
            }
            writeFailing = false
            return nil
        } catch {
            entry.location = nil
            defer { writeFailing = true }
            return writeFailing ? nil : "cannot write \(file.path): \(error)"
        }
    }

    /// One line of the file: compact, keys sorted (so `count` comes first), the count padded to a
    /// fixed width (JSON allows the spaces) so that a repeat rewrites the line at the same length.
    static func line(for event: ControllerEvent) throws -> [UInt8] {
        var bytes = Array(try encoder.encode(event))
        let prefix = Array(#"{"count":"#.utf8)
        let digits = String(event.count).utf8.count
        if bytes.starts(with: prefix), digits < countWidth {
            bytes.insert(contentsOf: [UInt8](repeating: UInt8(ascii: " "), count: countWidth - digits),
                         at: prefix.count + digits)
        }
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// Compact, keys sorted, ISO 8601 times: how an event is written (file and event stream).
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
