import Foundation

/// A test hook that widens the windows a crash is most dangerous in, so the fault-injection
/// suite can kill `apply` inside them on purpose. `INFERCTL_FAULT_SPAWN_PAUSE_MS=N` pauses N ms
/// after the intent record is durable (before the spawn) and again after the spawn (before the
/// record names the process). Unset (always, outside tests) it costs nothing.
enum FaultInjection {
    static let spawnPause: Duration? = {
        guard let text = ProcessInfo.processInfo.environment["INFERCTL_FAULT_SPAWN_PAUSE_MS"],
              let milliseconds = Int(text), milliseconds > 0 else { return nil }
        return .milliseconds(min(milliseconds, 60_000))
    }()

    static func pauseInSpawnWindow() async {
        guard let spawnPause else { return }
        try? await Task.sleep(for: spawnPause)
    }
}
