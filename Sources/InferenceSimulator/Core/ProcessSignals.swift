import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Process-wide fault injection: ignored termination signals and abrupt crashes.
enum ProcessSignals {
    /// SIG_IGN survives in the process, so neither SIGTERM nor SIGINT has any effect.
    static func ignoreTerminationSignals() {
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
    }

    /// Status used for the simulated crash (EX_SOFTWARE).
    static let crashExitStatus: Int32 = 70

    /// At `deadline`, logs `simulated crash` and `_exit`s: no graceful shutdown, no atexit handlers.
    static func scheduleCrash(at deadline: ContinuousClock.Instant, log: @escaping @Sendable (String) -> Void) {
        Task.detached {
            try? await Task.sleep(until: deadline, clock: .continuous)
            log("simulated crash")
            _exit(crashExitStatus)
        }
    }
}
