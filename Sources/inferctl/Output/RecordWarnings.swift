import SelfHostedInferenceCore

/// Says which records could not be read, so an instance left alone is never a silent mystery.
enum RecordWarnings {
    @discardableResult
    static func print(_ store: StateStore) -> [UnreadableRecord] {
        let unreadable = store.unreadableRecords()
        for record in unreadable {
            Console.err(Console.styled("warning", .yellow, terminal: Console.stderrIsTerminal) + ": " + record.warning)
        }
        return unreadable
    }
}
