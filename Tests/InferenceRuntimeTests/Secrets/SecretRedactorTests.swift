import Foundation
import InferenceModel
import Testing
@testable import InferenceRuntime

@Suite struct SecretRedactorTests {
    @Test func registeredValuesAreReplacedEverywhere() {
        let redactor = SecretRedactor()
        redactor.register("sk-abc-123")
        #expect(redactor.redact("key sk-abc-123, again sk-abc-123.") == "key [redacted], again [redacted].")
        #expect(redactor.redact("nothing secret here") == "nothing secret here")
    }

    @Test func bearerTokensAreReplacedEvenWhenUnknown() {
        let redactor = SecretRedactor()
        #expect(redactor.redact("Authorization: Bearer xyz.unknown-token end") == "Authorization: Bearer [redacted] end")
        #expect(redactor.redact("authorization: bearer   lower") == "authorization: Bearer [redacted]")
        // As a library prints an array of header values: escaped, quoted, newline and all.
        #expect(redactor.redact(#"invalidHeaderFieldValues(["Bearer first\nsecond"])"#)
            == #"invalidHeaderFieldValues(["Bearer [redacted]"#)
    }

    @Test func eachLineAndTheEscapedFormOfAValueAreReplaced() {
        let secret = "line-one-of-key\nline-two-of-key"
        let text = "got line-two-of-key; printed \"line-one-of-key\\nline-two-of-key\"; and line-one-of-key"
        let redacted = SecretRedactor.redact(text, values: [secret])
        #expect(!redacted.contains("line-one"), "\(redacted)")
        #expect(!redacted.contains("line-two"), "\(redacted)")
        let quoted = SecretRedactor.redact(#"value "ab\"cd-ef" refused"#, values: [#"ab"cd-ef"#])
        #expect(quoted == #"value "[redacted]" refused"#)
    }

    @Test func aLongerValueIsReplacedWholeBeforeAShorterOneInsideIt() {
        #expect(SecretRedactor.redact("k=abcdefgh", values: ["abcd", "abcdefgh"]) == "k=[redacted]")
    }

    @Test func veryShortValuesAreNotRegistered() {
        // A 2-character key would otherwise turn "port 8080" into "port [redacted][redacted]".
        let redactor = SecretRedactor()
        redactor.register("80")
        #expect(redactor.redact("port 8080") == "port 8080")
        #expect(redactor.redact("Bearer 80") == "Bearer [redacted]")
    }

    @Test func recordsLoseSecretsInTheirMessageAndConditions() {
        let redactor = SecretRedactor()
        redactor.register("sk-in-record")
        var record = InstanceRecord(name: "a", backend: "simulation", startupKind: .spawned,
                                    fingerprint: SpecFingerprint(fields: [:]),
                                    message: "server said sk-in-record")
        Conditions.apply(phase: .failed, reason: .launchFailed, message: "log: Bearer sk-in-record", to: &record, now: Date())
        let clean = record.redacted(by: redactor)
        #expect(clean.message == "server said [redacted]")
        #expect(clean.conditions.allSatisfy { $0.message == "log: Bearer [redacted]" }, "\(clean.conditions)")
    }

    @Test func eventsAreRedactedBeforeTheyAreReported() {
        let redactor = SecretRedactor()
        redactor.register("sk-in-event")
        let seen = Seen()
        let onEvent = redactor.redacting { seen.append($0) }
        onEvent(.waiting(instance: "a", reason: "probe: sk-in-event"))
        onEvent(.finished(InstanceOutcome(instance: "a", action: .spawn, phase: .failed, message: "sk-in-event",
                                          succeeded: false, elapsed: .zero)))
        #expect(seen.texts == ["probe: [redacted]", "[redacted]"])
    }
}

/// Collects the text of reported events.
private final class Seen: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ event: ApplyEvent) {
        let text: String
        switch event {
        case .waiting(_, let reason): text = reason
        case .finished(let outcome): text = outcome.message
        case .starting, .launched: text = "-"
        }
        lock.withLock { items.append(text) }
    }
    var texts: [String] { lock.withLock { items } }
}
