import Foundation
import InferenceModel
import InferenceRuntime

/// The controller answers a refused lease call with an HTTP status and `EnsureFailure`'s or
/// `LeaseLedger.Failure`'s description (see `LeaseRoutes`): these turn the answer back into the
/// typed failure the directory-lock path throws, so callers handle one set of cases.
extension InferenceKernelError {
    /// A refused `POST /v1/leases`.
    static func ensureRefusal(_ refused: ControllerClient.Refused, consumer: String) -> InferenceKernelError {
        let message = refused.message
        switch refused.code {
        case 404:
            return .ensure(.unknownConsumer(consumer))
        case 400:
            return .ensure(.invalid(message))
        case 409 where message.hasSuffix(heldDownSuffix):
            return .ensure(.heldDown(String(message.dropLast(heldDownSuffix.count))))
        case 503:
            guard let (instance, phase, why) = notReadyParts(message) else { break }
            return .ensure(.notReady(instance: instance, phase: phase, message: why))
        case 500 where message.hasPrefix(stateWritePrefix):
            return .ensure(.stateWriteFailed(String(message.dropFirst(stateWritePrefix.count))))
        default:
            break
        }
        return .controllerRefused(code: refused.code, message: message)
    }

    /// A refused renew or release of `reference`; `knownExpiry` is the lease's expiry as read
    /// before the call (410 says it expired, not when).
    static func leaseRefusal(_ refused: ControllerClient.Refused, reference: String, knownExpiry: Date?) -> InferenceKernelError {
        switch refused.code {
        case 404: return .lease(.unknown(reference))
        case 409: return .lease(.notRenewable(reference))
        case 400: return .lease(.invalid(refused.message))
        case 410 where knownExpiry != nil: return .lease(.expired(reference, at: knownExpiry!))
        default: return .controllerRefused(code: refused.code, message: refused.message)
        }
    }

    static let heldDownSuffix = "; run `inferctl apply` first"
    static let stateWritePrefix = "could not write state: "

    /// `instance NAME is PHASE: WHY` (`EnsureFailure.notReady`'s description) back into its parts.
    static func notReadyParts(_ message: String) -> (String, InstancePhase, String)? {
        let prefix = "instance "
        guard message.hasPrefix(prefix) else { return nil }
        let rest = message.dropFirst(prefix.count)
        guard let isRange = rest.range(of: " is "), let colon = rest[isRange.upperBound...].range(of: ": ") else { return nil }
        let name = String(rest[..<isRange.lowerBound])
        guard ResourceName.isValid(name), let phase = InstancePhase(rawValue: String(rest[isRange.upperBound..<colon.lowerBound])) else {
            return nil
        }
        return (name, phase, String(rest[colon.upperBound...]))
    }
}
