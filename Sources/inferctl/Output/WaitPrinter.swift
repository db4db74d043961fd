import Foundation
import SelfHostedInferenceCore

/// What `wait` prints in text: one line per instance as it meets the condition or fails (and when a
/// met one falls back), then a summary. With `-o json` nothing but the final `WaitReport`.
struct WaitPrinter {
    let condition: WaitCondition
    let format: OutputFormat
    private var shown: [String: WaitVerdict.State] = [:]

    init(condition: WaitCondition, format: OutputFormat) {
        self.condition = condition
        self.format = format
    }

    private var metWord: String { condition == .ready ? "Ready" : "deleted" }

    mutating func report(_ verdicts: [WaitVerdict]) {
        for verdict in verdicts {
            let before = shown[verdict.name]
            shown[verdict.name] = verdict.state
            guard format == .text, before != verdict.state else { continue }
            switch verdict.state {
            case .met:
                Console.out("\(verdict.name): \(metWord)")
            case .failed:
                Console.err(Console.styled("\(verdict.name): \(verdict.phase?.rawValue ?? "failed")", .red, terminal: Console.stderrIsTerminal)
                            + ": " + verdict.message)
            case .pending where before == .met:
                Console.out("\(verdict.name): no longer \(metWord): \(Self.describe(verdict))")
            case .pending:
                break
            }
        }
    }

    /// The closing lines; `timeout` is what was allowed, named when it ran out.
    func finish(_ verdicts: [WaitVerdict], outcome: WaitVerdict.State, timeout: DurationValue) throws {
        let timedOut = outcome == .pending
        if format == .json {
            Console.out(try Console.json(WaitReport(met: outcome == .met, timedOut: timedOut, verdicts: verdicts)))
            return
        }
        let met = verdicts.filter { $0.state == .met }.count
        let tally = "\(met) of \(verdicts.count) instance\(verdicts.count == 1 ? "" : "s") \(metWord.lowercased())"
        switch outcome {
        case .met:
            Console.out(Console.styled("Wait complete: \(tally).", .green))
        case .failed:
            let failed = verdicts.filter { $0.state == .failed }.map(\.name)
            Console.out(Console.styled("Wait failed: \(failed.joined(separator: ", ")) failed; \(tally).", .red))
        case .pending:
            let waiting = verdicts.filter { $0.state != .met }
            for verdict in waiting {
                Console.err(Console.styled(verdict.name, .yellow, terminal: Console.stderrIsTerminal) + ": " + Self.describe(verdict))
            }
            Console.out(Console.styled("Timed out after \(timeout): \(tally); not yet: \(waiting.map(\.name).joined(separator: ", ")).", .red))
        }
    }

    /// `Starting: waiting for readiness`, or the message alone when there is no phase to show.
    static func describe(_ verdict: WaitVerdict) -> String {
        verdict.phase.map { "\($0.rawValue): \(verdict.message)" } ?? verdict.message
    }
}

/// `wait -o json`: `{"met", "timed_out", "instances": [{"name", "phase", "met", "state", "message"}]}`.
/// `phase` is null when there is no status file; `state` is `met`, `failed` or `pending`.
struct WaitReport: Encodable {
    let met: Bool
    let timedOut: Bool
    let instances: [Instance]

    init(met: Bool, timedOut: Bool, verdicts: [WaitVerdict]) {
        self.met = met
        self.timedOut = timedOut
        instances = verdicts.map(Instance.init)
    }

    struct Instance: Encodable {
        let verdict: WaitVerdict

        enum CodingKeys: String, CodingKey { case name, phase, met, state, message }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(verdict.name, forKey: .name)
            try container.encode(verdict.phase?.rawValue, forKey: .phase) // null, not absent: the key is a contract
            try container.encode(verdict.state == .met, forKey: .met)
            try container.encode(verdict.state.rawValue, forKey: .state)
            try container.encode(verdict.message, forKey: .message)
        }
    }

    enum CodingKeys: String, CodingKey {
        case met
        case timedOut = "timed_out"
        case instances
    }
}
