import Foundation
import InferenceRuntime
import Glibc

/// Polls `condition` until it holds or `timeout` passes (no fixed sleeps).
func eventually(timeout: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while clock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}

/// A fresh scratch directory under /tmp, removed by the caller.
func makeScratchDirectory(_ name: String = #function) -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let path = NSTemporaryDirectory() + "inference-runtime-\(safe)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func readText(_ path: String) -> String {
    (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}

/// The environment a test child gets: just enough PATH to find sh and sleep.
/// Every test child carries this spawn token, as servers inferctl starts do, so the terminator
/// accepts the claims `owned(_:)` makes for them.
let testSpawnToken = StateFolderIdentity.randomHex() + "." + StateFolderIdentity.randomHex()
let testEnvironment = ["PATH": "/usr/bin:/bin", StateFolder.tokenVariable: testSpawnToken]

/// The claim inferctl would hold for a test child.
func owned(_ identity: ProcessIdentity) -> ProcessClaim {
    ProcessClaim(identity: identity, token: testSpawnToken)
}
