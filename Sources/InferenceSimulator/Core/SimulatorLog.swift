import Foundation

/// Server-style log lines on stdout, one `write(2)` per line.
///
/// The supervisor redirects stdout to a file and tails it for `listening on`,
/// so each line must reach the file at once; writing through the file handle
/// bypasses stdio buffering entirely (no `setvbuf` needed).
public enum SimulatorLog {
    public static let prefix = "inference-sim: "

    @Sendable public static func writeToStandardOutput(_ line: String) {
        try? FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8))
    }
}
