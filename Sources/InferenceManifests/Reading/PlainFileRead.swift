import Foundation

/// The common case of reading a manifest in four system calls (open, fstat, read, close): a regular
/// file within the size limit. Anything else (missing, unreadable, not a regular file, too large,
/// growing) gives nil and is left to `ManifestFileReader`'s careful path, which says what is wrong.
/// Directories of 20,000 manifests spent more time in FileManager than in parsing.
enum PlainFileRead {
    static func bytes(atPath path: String, limit: Int) -> [UInt8]? {
        // Non-blocking: opening a FIFO must not wait for a writer (it is refused below anyway).
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, Int(status.st_size) <= limit else {
            return nil
        }
        // One byte past the size: filling it means the file grew since it was measured.
        let capacity = Int(status.st_size) + 1
        var complete = false
        let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            while count < capacity {
                let got = read(descriptor, buffer.baseAddress! + count, capacity - count)
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else {
                    complete = got == 0
                    return
                }
                count += got
            }
        }
        return complete ? bytes : nil
    }
}
