import Foundation
@testable import SelfHostedInferenceCore
import Testing

/// The controller's refusals (status + the failure's description) become the typed failures the
/// lock path throws.
@Suite struct ControllerRefusalTests {
    func ensure(_ code: UInt, _ message: String) -> InferenceKernelError {
        .ensureRefusal(ControllerClient.Refused(code: code, message: message), consumer: "agent")
    }

    @Test func notReadyKeepsInstancePhaseAndReason() {
        let failure = EnsureFailure.notReady(instance: "sim-1", phase: .failed, message: "exited with status 70: boom: it died")
        #expect(ensure(503, failure.description) == .ensure(failure))
    }

    @Test func heldDownUnknownInvalidAndStateWrites() {
        let held = EnsureFailure.heldDown("/m is held down by inferctl down")
        #expect(ensure(409, held.description) == .ensure(held))
        #expect(ensure(404, "no consumer named agent is declared") == .ensure(.unknownConsumer("agent")))
        #expect(ensure(400, "--owner: the owner is empty") == .ensure(.invalid("--owner: the owner is empty")))
        let write = EnsureFailure.stateWriteFailed("disk full")
        #expect(ensure(500, write.description) == .ensure(write))
    }

    @Test func anythingElseIsTheControllersOwnWords() {
        #expect(ensure(409, "consumer agent is incompatible with every instance") ==
                .controllerRefused(code: 409, message: "consumer agent is incompatible with every instance"))
        #expect(ensure(503, "overloaded") == .controllerRefused(code: 503, message: "overloaded"))
        #expect(ensure(502, "bad gateway") == .controllerRefused(code: 502, message: "bad gateway"))
    }

    @Test func leaseRefusals() {
        let reference = "lease-0123456789abcdef0123456789abcdef"
        func lease(_ code: UInt, expiry: Date? = nil) -> InferenceKernelError {
            .leaseRefusal(ControllerClient.Refused(code: code, message: "m"), reference: reference, knownExpiry: expiry)
        }
        let expiry = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(lease(404) == .lease(.unknown(reference)))
        #expect(lease(409) == .lease(.notRenewable(reference)))
        #expect(lease(400) == .lease(.invalid("m")))
        #expect(lease(410, expiry: expiry) == .lease(.expired(reference, at: expiry)))
        #expect(lease(410) == .controllerRefused(code: 410, message: "m"))
    }
}
