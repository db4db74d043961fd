import Glibc

/// The state folder and its subfolders (`.inferctl`, `.inferctl/instances`, `.inferctl/logs`, `.inferctl/leases`) are real
/// directories, created by us: a symbolic link there would send our records, logs and lock wherever it
/// points, so one is refused, not followed. The manifest directory itself may be a link (the user's
/// choice). Checked by every command that writes there, before it writes; the files inside are then
/// opened with O_NOFOLLOW (`openRegularFileForWriting`) or replaced by rename, which never follows.
public enum StateDirectories {
    /// Creates the missing ones (never the manifest directory) and checks them all.
    public static func prepare(_ layout: StateLayout) throws(SystemCallError) {
        for directory in [layout.stateDirectory, layout.recordsDirectory, layout.logsDirectory, layout.leasesDirectory] {
            try ensureRealDirectory(directory)
        }
    }

    /// `path` exists as a directory that is not a symbolic link (made with `mode` if missing).
    static func ensureRealDirectory(_ path: String, mode: mode_t = 0o755) throws(SystemCallError) {
        if mkdir(path, mode) != 0 && errno != EEXIST { throw SystemCallError("mkdir", path: path) }
        var info = stat()
        guard lstat(path, &info) == 0 else { throw SystemCallError("lstat", path: path) }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return
        case S_IFLNK: throw .refusedSymbolicLink(path, operation: "mkdir")
        default: throw SystemCallError("mkdir", path: path, code: ENOTDIR)
        }
    }
}
