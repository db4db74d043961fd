import InferenceModel

extension InstanceRecord {
    /// The record with its free text (message, condition messages) cleaned by `redactor`: that text
    /// quotes servers, probes and libraries, and goes into the record and the public status files.
    func redacted(by redactor: SecretRedactor) -> InstanceRecord {
        var copy = self
        copy.message = message.map(redactor.redact)
        for index in copy.conditions.indices {
            copy.conditions[index].message = redactor.redact(copy.conditions[index].message)
        }
        return copy
    }
}

extension SecretRedactor {
    /// `onEvent` with each event's text cleaned: events are printed as they happen.
    func redacting(_ onEvent: @escaping @Sendable (ApplyEvent) -> Void) -> @Sendable (ApplyEvent) -> Void {
        { [self] event in
            switch event {
            case .starting, .launched: onEvent(event)
            case .waiting(let instance, let reason): onEvent(.waiting(instance: instance, reason: redact(reason)))
            case .finished(var outcome):
                outcome.message = redact(outcome.message)
                onEvent(.finished(outcome))
            }
        }
    }
}
