import Foundation
import Testing

/// Drives the real `inferctl` binary against real simulated servers. Serialized: each test starts
/// processes and waits for readiness, and on 2 cores they would otherwise compete for CPU.
/// Every test has its own directory and ports (`port: auto`), and tears down everything it started.
@Suite("inferctl end to end", .serialized, .timeLimit(.minutes(2)))
struct EndToEnd {}

/// The line of `inferctl plan`/`apply` output about `instance`, split into columns:
/// `["~", "replace", "alpha", "spec changed: …"]` (the reason kept whole).
func planRow(_ instance: String, in output: String) -> [String]? {
    for line in output.split(separator: "\n") {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard words.count >= 3, ["+", "~", "-", "="].contains(words[0]), words[2] == instance else { continue }
        return Array(words[0..<3]) + [words[3...].joined(separator: " ")]
    }
    return nil
}

/// The root of this repository, from this file's path.
func repositoryRoot(_ file: String = #filePath) -> URL {
    URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
