import Foundation
import SelfHostedInferenceCore

/// Live progress during apply: on a terminal, one line rewritten in place naming what is still
/// loading and for how long; elsewhere, plain lines as things happen.
final class ProgressReporter: @unchecked Sendable {
    private let live: Bool
    private let quiet: Bool
    private let lock = NSLock()
    private var waiting: [String: (since: Date, reason: String)] = [:]
    private var ticker: Task<Void, Never>?
    private var lineShown = false

    init(live: Bool, quiet: Bool) {
        self.live = live
        self.quiet = quiet
        if live && !quiet {
            ticker = Task { [weak self] in
                while !Task.isCancelled {
                    self?.redraw()
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
        }
    }

    func report(_ event: ApplyEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .starting(let instance, let action):
            waiting[instance] = (Date(), action.rawValue)
        case .launched(let instance, let pid, let port):
            waiting[instance] = (waiting[instance]?.since ?? Date(), "loading")
            emit("\(instance): started pid \(pid) on port \(port)")
        case .waiting(let instance, let reason):
            waiting[instance] = (waiting[instance]?.since ?? Date(), reason)
            if !live && !quiet { emit("\(instance): \(reason)") }
        case .finished(let outcome):
            waiting[outcome.instance] = nil
            guard !quiet || !outcome.succeeded else { return }
            let mark = outcome.succeeded ? Console.styled("✓", .green) : Console.styled("✗", .red)
            let firstLine = outcome.message.split(separator: "\n").first.map(String.init) ?? outcome.message
            emit("\(mark) \(outcome.instance): \(outcome.phase.rawValue) (\(outcome.action.rawValue), \(outcome.elapsed.formattedSeconds)) \(firstLine)")
        }
    }

    func finish() {
        ticker?.cancel()
        lock.lock()
        clearLine()
        lock.unlock()
    }

    private func emit(_ line: String) {
        clearLine()
        Console.out(line)
    }

    private func clearLine() {
        if lineShown {
            FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8))
            lineShown = false
        }
    }

    private func redraw() {
        lock.lock()
        defer { lock.unlock() }
        guard !waiting.isEmpty else { clearLine(); return }
        let now = Date()
        let text = waiting.sorted { $0.key < $1.key }.map { name, state in
            "\(name) \(String(format: "%.1fs", now.timeIntervalSince(state.since))) \(state.reason)"
        }.joined(separator: " · ")
        let width = 120
        let line = "… waiting: " + (text.count > width ? String(text.prefix(width)) + "…" : text)
        FileHandle.standardOutput.write(Data("\r\u{1B}[K\(line)".utf8))
        lineShown = true
    }
}
