import Glibc

/// A failed system call, with the errno text, e.g.
/// `open /var/log/x.log: Permission denied (errno 13)`.
public struct SystemCallError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var path: String?
    public var code: Int32

    public init(_ operation: String, path: String? = nil, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    public var description: String {
        let subject = path.map { "\(operation) \($0)" } ?? operation
        return "\(subject): \(errnoText(code)) (errno \(code))"
    }
}

/// strerror text for an errno value.
func errnoText(_ code: Int32) -> String {
    String(cString: strerror(code))
}
