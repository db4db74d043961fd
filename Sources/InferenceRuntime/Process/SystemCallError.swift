import Glibc

/// A failed system call, with the errno text, e.g.
/// `open /var/log/x.log: Permission denied (errno 13)`.
public struct SystemCallError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var path: String?
    public var code: Int32
    /// Says what is wrong with `path` in our words, replacing the errno text (see `refusedSymbolicLink`).
    public var explanation: String?

    public init(_ operation: String, path: String? = nil, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// We write only to real files and directories: a link there would send our writes wherever it points.
    public static func refusedSymbolicLink(_ path: String, operation: String = "open") -> SystemCallError {
        var error = SystemCallError(operation, path: path, code: ELOOP)
        error.explanation = "is a symbolic link; refusing to write through it"
        return error
    }

    /// A FIFO, device or directory where we expected (or would create) a plain file.
    public static func notARegularFile(_ path: String, operation: String = "open") -> SystemCallError {
        var error = SystemCallError(operation, path: path, code: EINVAL)
        error.explanation = "is not a regular file; refusing to write to it"
        return error
    }

    public var description: String {
        if let explanation, let path { return "\(path) \(explanation)" }
        let subject = path.map { "\(operation) \($0)" } ?? operation
        return "\(subject): \(errnoText(code)) (errno \(code))"
    }
}

/// strerror text for an errno value.
func errnoText(_ code: Int32) -> String {
    String(cString: strerror(code))
}
