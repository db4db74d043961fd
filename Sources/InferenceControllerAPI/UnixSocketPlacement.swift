import Foundation
import Glibc
import InferenceRuntime

/// Where the API's Unix socket is bound, and how it gets to `.inferctl/api.sock` without ever
/// being connectable by anyone else: it is bound inside a fresh private directory (mkdtemp,
/// mode 0700), made 0600, then renamed into place. The rename replaces a stale socket left by a
/// killed controller (we hold the directory lock, so no other controller uses it).
public struct UnixSocketPlacement: Sendable {
    public let socketPath: String
    let stagingDirectory: String

    /// sockaddr_un's path holds 108 bytes with its terminating NUL.
    static let maximumPathBytes = 107
    static let stagingPrefix = ".api-socket-"

    public enum Problem: Error, CustomStringConvertible {
        case pathTooLong(String)
        case system(String)

        public var description: String {
            switch self {
            case .pathTooLong(let path):
                "\(path) is longer than a Unix socket path may be (\(UnixSocketPlacement.maximumPathBytes) bytes); "
                    + "use --listen 127.0.0.1:PORT for the API"
            case .system(let text): text
            }
        }
    }

    /// Makes the private directory to bind in (clearing what a killed controller left).
    public static func prepare(_ layout: StateLayout) throws(Problem) -> UnixSocketPlacement {
        let stateDirectory = layout.stateDirectory
        let socketPath = layout.apiSocketPath
        guard socketPath.utf8.count <= maximumPathBytes,
              (stateDirectory + "/" + stagingPrefix + "XXXXXX/s").utf8.count <= maximumPathBytes else {
            throw .pathTooLong(socketPath)
        }
        removeStaleStaging(in: stateDirectory)
        var template = Array((stateDirectory + "/" + stagingPrefix + "XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw .system("cannot create a private directory in \(stateDirectory): \(String(cString: strerror(errno)))")
        }
        return UnixSocketPlacement(socketPath: socketPath, stagingDirectory: String(cString: made))
    }

    /// The path to bind (inside the private directory).
    public var bindPath: String { stagingDirectory + "/s" }

    /// Once bound: owner-only, then into place.
    public func publish() throws(Problem) {
        guard chmod(bindPath, 0o600) == 0 else { throw .system("cannot chmod \(bindPath): \(String(cString: strerror(errno)))") }
        guard rename(bindPath, socketPath) == 0 else {
            throw .system("cannot move the API socket to \(socketPath): \(String(cString: strerror(errno)))")
        }
        rmdir(stagingDirectory)
    }

    /// When the API stops: the socket (if it is still a socket) and the private directory go.
    public func remove() {
        var info = stat()
        if lstat(socketPath, &info) == 0, (info.st_mode & S_IFMT) == S_IFSOCK { unlink(socketPath) }
        unlink(bindPath)
        rmdir(stagingDirectory)
    }

    /// Private directories a killed controller left: real directories only (a link is not followed).
    static func removeStaleStaging(in stateDirectory: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: stateDirectory)) ?? []
        for name in names where name.hasPrefix(stagingPrefix) {
            let path = stateDirectory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { continue }
            unlink(path + "/s")
            rmdir(path)
        }
    }
}
