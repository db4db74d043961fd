import Glibc

/// `mkdir -p` that reports the real errno (FileManager hides it).
func createDirectories(_ path: String, mode: mode_t = 0o755) throws(SystemCallError) {
    guard !path.isEmpty else { return }
    var prefix = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/", omittingEmptySubsequences: true) {
        prefix += "/" + component
        if mkdir(prefix, mode) != 0 && errno != EEXIST {
            throw SystemCallError("mkdir", path: prefix)
        }
    }
    var info = stat()
    guard stat(path, &info) == 0 else { throw SystemCallError("stat", path: path) }
    guard (info.st_mode & S_IFMT) == S_IFDIR else { throw SystemCallError("mkdir", path: path, code: ENOTDIR) }
}

/// The directory part of a path ("." for a bare name).
func parentDirectory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    if slash == path.startIndex { return "/" }
    return String(path[..<slash])
}
