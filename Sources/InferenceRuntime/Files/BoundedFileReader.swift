import Glibc

/// Reads a small regular file without trusting it to be small: at most `limit + 1` bytes are read, so a
/// caller can tell "too large" without holding a huge file in memory, and a FIFO or a device (which
/// could block or never end) is refused before any read.
enum BoundedFileReader {
    enum Failure: Error, Equatable, CustomStringConvertible {
        case cannotOpen(errno: Int32)
        case notARegularFile
        case tooLarge
        case readFailed(errno: Int32)

        var description: String {
            switch self {
            case .cannotOpen(let code) where code == ELOOP: "it is a symbolic link"
            case .cannotOpen(let code): "cannot open it: \(errnoText(code))"
            case .notARegularFile: "it is not a regular file"
            case .tooLarge: "it is too large"
            case .readFailed(let code): "cannot read it: \(errnoText(code))"
            }
        }
    }

    /// `followSymlinks: false` for files of ours (records), which are never links.
    static func read(_ path: String, limit: Int, followSymlinks: Bool = true) throws(Failure) -> [UInt8] {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; regular files ignore it.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (followSymlinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { throw .cannotOpen(errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .readFailed(errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notARegularFile }
        guard Int(info.st_size) <= limit else { throw .tooLarge }

        // Sized from fstat (plus room to notice growth), not from the limit: the limits are
        // generous (MiBs) and most files are a few KiB, read hundreds of times per pass.
        var bytes = [UInt8](repeating: 0, count: min(limit + 1, Int(info.st_size) + 1))
        var count = 0
        while true {
            if count == bytes.count {
                guard bytes.count <= limit else { break }
                bytes.append(contentsOf: repeatElement(0, count: min(limit + 1, max(4096, bytes.count * 2)) - bytes.count))
            }
            let got = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw .readFailed(errno: errno)
            }
            if got == 0 { break }
            count += got
        }
        // The file may have grown since fstat.
        guard count <= limit else { throw .tooLarge }
        return Array(bytes[0..<count])
    }
}
