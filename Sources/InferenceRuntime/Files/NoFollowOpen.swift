import Glibc

/// Opens a file we are about to write, refusing anything but a plain file: O_NOFOLLOW, so a symbolic
/// link planted at `path` (say `.inferctl/lock -> ~/.bashrc`) is never written through, and a FIFO or
/// device is refused too (opening a FIFO could block; writing a device is never ours to do).
/// `flags` are the access flags (O_WRONLY, O_APPEND, O_CREAT …); O_CLOEXEC is always added.
func openRegularFileForWriting(_ path: String, flags: Int32, mode: mode_t = 0o644) throws(SystemCallError) -> Int32 {
    // O_NONBLOCK only for the open itself (a FIFO without a reader would block it); cleared below.
    let fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, mode)
    guard fd >= 0 else {
        let code = errno
        // Say what is there rather than the bare errno (ELOOP for a link, ENXIO for a FIFO without reader).
        var info = stat()
        if lstat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFLNK: throw .refusedSymbolicLink(path)
            case S_IFREG: break
            default: throw .notARegularFile(path)
            }
        }
        throw SystemCallError("open", path: path, code: code)
    }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
        let error = SystemCallError("fstat", path: path)
        close(fd)
        throw error
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
        close(fd)
        throw .notARegularFile(path)
    }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    return fd
}

/// `openRegularFileForWriting`, creating the file's folder first only when it is missing (the
/// usual case, a folder that exists, costs one open).
func openCreatingFolder(_ path: String, flags: Int32, mode: mode_t = 0o644) throws(SystemCallError) -> Int32 {
    do {
        return try openRegularFileForWriting(path, flags: flags, mode: mode)
    } catch where error.code == ENOENT {
        try createDirectories(parentDirectory(of: path))
        return try openRegularFileForWriting(path, flags: flags, mode: mode)
    }
}
