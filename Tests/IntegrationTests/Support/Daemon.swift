import Foundation
import Testing

/// A server the test starts itself, standing in for a daemon we do not own: `inferctl sim`
/// in Ollama mode, or in llama-server mode as a generic OpenAI-compatible server.
final class Daemon: @unchecked Sendable {
    let port: Int
    let process: Process
    var root: String { "http://127.0.0.1:\(port)" }
    var pid: Int32 { process.processIdentifier }

    /// Starts `inferctl sim ARGS --port PORT` and waits until it answers at `readyPath`.
    init(port: Int? = nil, arguments: [String], readyPath: String, workspace: Workspace) async throws {
        self.port = try port ?? freeLoopbackPort()
        process = Process()
        process.executableURL = try Inferctl.binary.get()
        process.arguments = ["sim", "--host", "127.0.0.1", "--port", String(self.port)] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        workspace.track(process.processIdentifier)
        let url = root + readyPath
        try await eventually("daemon at \(url)", timeout: .seconds(15)) {
            (try? await httpGet(url))?.status == 200
        }
    }

    static func ollama(port: Int? = nil, models: [String] = [], loaded: [String] = [], workspace: Workspace) async throws -> Daemon {
        let arguments = ["--ollama"] + models.flatMap { ["--ollama-model", $0] } + loaded.flatMap { ["--ollama-loaded", $0] }
        return try await Daemon(port: port, arguments: arguments, readyPath: "/api/version", workspace: workspace)
    }

    /// Ends the daemon, as its real owner (not inferctl) would.
    func kill() async throws {
        Processes.kill(pid)
        try await eventually("daemon \(pid) exits") { !Processes.isAlive(pid) }
    }

    func post(_ path: String, _ body: String) async throws -> (status: Int, body: String) {
        try await httpPostJSON(root + path, body)
    }
}

/// A port nobody listens on right now, from the OS.
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
            guard bind(fd, pointer, length) == 0 else { return -1 }
            return getsockname(fd, pointer, &length)
        }
    }
    guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// An Ollama instance manifest attached to `root`.
func ollamaInstanceYAML(_ name: String, root: String, model: String, preload: Bool = false, timeout: String = "10s") -> String {
    """
    apiVersion: inference.selfhosted/v1
    kind: Instance
    metadata: {name: \(name)}
    spec:
      backend: ollama
      url: \(root)
      model: {identity: \(model)}
      ollama: {preload: \(preload), keepAlive: 10m}
      readiness: {timeout: \(timeout)}

    """
}
