/// Whether the simulated model has finished loading.
///
/// An actor rather than a flag: request handlers on many event loops read it
/// while the load timer task flips it once.
actor ModelReadiness {
    private(set) var isReady: Bool

    init(isReady: Bool) {
        self.isReady = isReady
    }

    func markReady() {
        isReady = true
    }
}
