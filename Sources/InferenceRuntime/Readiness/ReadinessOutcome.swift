import InferenceBackends
import InferenceModel

/// How waiting for readiness ended.
public enum ReadinessOutcome: Sendable, Equatable {
    case ready(after: Duration)
    /// Ready, and the smoke completion (`readiness.smoke`) went through: what it measured.
    case verified(after: Duration, SmokeFigures)
    /// The probe said ready, but the smoke completion failed or hung.
    case smokeFailed(String)
    /// The process exited before it was ready: its status and the last lines of its log.
    case exited(ExitStatus, logTail: [String])
    /// The probe answered with something that will not change by waiting (401 without a key).
    case fatal(String)
    case timedOut(after: Duration, lastReason: String)
    /// Neither the log nor the probe's answer changed for the stall timeout.
    case stalled(for: Duration, lastReason: String)

    public var isReady: Bool {
        switch self {
        case .ready, .verified: true
        default: false
        }
    }

    /// CamelCase reason for conditions.
    public var conditionReason: ConditionReason {
        switch self {
        case .ready, .verified: .ready
        case .smokeFailed: .smokeTestFailed
        case .exited: .exitedBeforeReady
        case .fatal: .probeRejected
        case .timedOut: .readinessTimeout
        case .stalled: .readinessStalled
        }
    }

    public var message: String {
        switch self {
        case .ready(let after): "ready after \(after.formattedSeconds)"
        case .verified(let after, let figures): "ready after \(after.formattedSeconds); smoke completion: \(figures.summary)"
        case .smokeFailed(let why): "the probe said ready, but the smoke completion failed (readiness.smoke): \(why)"
        case .exited(let status, let tail):
            "\(status) before becoming ready" + (tail.isEmpty ? "" : "; last log lines:\n" + tail.joined(separator: "\n"))
        case .fatal(let why): why
        case .timedOut(let after, let why): "not ready after \(after.formattedSeconds) (readiness.timeout): \(why)"
        case .stalled(let stall, let why): "no progress in the log or the probe for \(stall.formattedSeconds) (readiness.stallTimeout): \(why)"
        }
    }
}

extension Duration {
    /// `0.41s`, `12.3s`, `2m05s`.
    public var formattedSeconds: String {
        let total = Double(components.seconds) + Double(components.attoseconds) / 1e18
        if total < 10 { return String(format: "%.2fs", total) }
        if total < 120 { return String(format: "%.1fs", total) }
        let whole = Int(total)
        return String(format: "%dm%02ds", whole / 60, whole % 60)
    }
}

import Foundation
