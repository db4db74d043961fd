import SelfHostedInferenceCore

/// Says which records could not be read, so an instance left alone is never a silent mystery.
enum RecordWarnings {
    @discardableResult
    static func print(_ unreadable: [UnreadableRecord]) -> [UnreadableRecord] {
        for record in unreadable {
            Console.err(Console.styled("warning", .yellow, terminal: Console.stderrIsTerminal) + ": " + record.warning)
        }
        return unreadable
    }
}

/// The state every verb starts from, with what recovery found said out loud.
enum StateCommand {
    /// Under the lock (apply, down): recovery may write records and stop unrecorded servers.
    static func recover(_ layout: StateLayout) async throws -> PreparedState {
        let state: PreparedState
        do {
            state = try await PreparedState.recover(layout)
        } catch {
            Console.err(Console.styled("error", .red, terminal: Console.stderrIsTerminal) + ": \(error); nothing was changed")
            throw ExitStatus.failure
        }
        printNotices(state)
        return state
    }

    /// Read-only (plan, status).
    static func inspect(_ layout: StateLayout) -> PreparedState {
        let state = PreparedState.inspect(layout)
        printNotices(state)
        return state
    }

    private static func printNotices(_ state: PreparedState) {
        for notice in state.notices {
            Console.err(Console.styled("note", .yellow, terminal: Console.stderrIsTerminal) + ": " + notice)
        }
    }
}
