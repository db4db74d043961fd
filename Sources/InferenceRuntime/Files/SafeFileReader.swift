import Glibc

/// Reads a small file of ours without following a symlink and without trusting its size.
enum SafeFileReader {
    static func read(_ path: String, limit: Int) throws(SystemCallError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        // ELOOP here means the file is a symlink: reported, never followed.
        guard fd >= 0 else { throw SystemCallError("open", path: path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemCallError("fstat", path: path) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw SystemCallError("read", path: path, code: EINVAL) }
        guard Int(info.st_size) <= limit else { throw SystemCallError("read", path: path, code: EFBIG) }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemCallError("read", path: path)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > limit { throw SystemCallError("read", path: path, code: EFBIG) }
        }
    }
}
