import ServiceLifecycle

/// `--hang-generation(-after N)`: which completions hang, and the hang itself. Counted in one
/// place so concurrent requests on many event loops agree on which one is the N+1st.
actor GenerationHang {
    private let answered: Int?
    private let log: @Sendable (String) -> Void
    private var started = 0

    /// `answered`: how many completions answer before the rest hang; nil: none hang.
    init(answered: Int?, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.answered = answered
        self.log = log
    }

    /// Counts one completion; true when it must hang.
    func admit() -> Bool {
        started += 1
        guard let answered, started > answered else { return false }
        // The access log only sees requests that end: say so now.
        log("completion \(started) hangs (simulated: generation answers nothing after \(answered))")
        return true
    }

    /// Waits like a stuck generation: until the server shuts down (so a SIGTERM is not held up
    /// by it) or the request's task is cancelled.
    static func hang() async {
        try? await gracefulShutdown()
    }
}
