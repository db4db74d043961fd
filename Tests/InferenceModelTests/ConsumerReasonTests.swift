import InferenceModel
import Testing

/// The one table that decides whether a consumer is handed an endpoint.
@Suite("A consumer's reason: phase x health x compatibility x activation")
struct ConsumerReasonTests {
    struct Row: CustomStringConvertible, Sendable {
        var phase: InstancePhase?
        var health: HealthStatus = .healthy
        var compatible = true
        var activation: ActivationMode = .always
        var expected: ConsumerReason

        var description: String {
            "\(phase?.rawValue ?? "no record")/\(health)/\(compatible ? "compatible" : "incompatible")/\(activation) -> \(expected)"
        }
    }

    static let rows: [Row] = [
        Row(phase: .ready, expected: .ready),
        Row(phase: .ready, health: .unknown, expected: .ready),
        // Still answers (an Ollama model not loaded yet, a busy server): kept.
        Row(phase: .ready, health: .degraded, expected: .ready),
        Row(phase: .ready, health: .unavailable, expected: .instanceUnhealthy),
        Row(phase: .failed, health: .unavailable, expected: .instanceUnhealthy),
        Row(phase: nil, health: .unknown, expected: .waitingForInstance),
        Row(phase: .pending, health: .unavailable, expected: .waitingForInstance),
        Row(phase: .starting, health: .unknown, expected: .waitingForInstance),
        Row(phase: .stopped, health: .unknown, expected: .waitingForInstance),
        Row(phase: nil, health: .unknown, activation: .onDemand, expected: .idle),
        Row(phase: .stopped, health: .unknown, activation: .onDemand, expected: .idle),
        Row(phase: .starting, health: .unknown, activation: .onDemand, expected: .waitingForInstance),
        Row(phase: .ready, activation: .onDemand, expected: .ready),
        Row(phase: .failed, activation: .onDemand, expected: .instanceUnhealthy),
        // Incompatibility wins over every phase: waiting cannot fix it.
        Row(phase: .ready, compatible: false, expected: .incompatible),
        Row(phase: .failed, compatible: false, expected: .incompatible),
        Row(phase: nil, compatible: false, activation: .onDemand, expected: .incompatible),
    ]

    @Test(arguments: rows)
    func reason(_ row: Row) {
        #expect(ConsumerReason(compatible: row.compatible, phase: row.phase, health: row.health, activation: row.activation)
                == row.expected)
    }

    @Test("every phase has a row")
    func coverage() {
        #expect(Set(Self.rows.compactMap(\.phase)) == Set(InstancePhase.allCases))
    }

    @Test("the wire names scripts match on")
    func wireNames() {
        #expect(ConsumerReason.allCases.map(\.rawValue)
                == ["Ready", "WaitingForInstance", "InstanceUnhealthy", "Incompatible", "Idle", "NoMatchingInstance"])
    }
}
