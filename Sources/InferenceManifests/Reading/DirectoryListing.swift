import Foundation

/// The entries of one directory with what each is, from `readdir` alone where the file system says
/// (no `stat` per file: a directory of 20,000 manifests would pay 20,000 of them).
enum DirectoryListing {
    enum Kind {
        case directory
        /// Anything else that exists: regular files, and FIFOs or devices (refused when read).
        case other
    }

    struct Entry {
        var name: String
        var kind: Kind
    }

    /// Unsorted, without `.` and `..`; symbolic links are followed and dangling ones left out,
    /// like `FileManager.fileExists(atPath:isDirectory:)`. Nil when the directory cannot be opened.
    static func entries(of path: String) -> [Entry]? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var entries: [Entry] = []
        while let entry = readdir(directory) {
            let type = entry.pointee.d_type
            let name = withUnsafePointer(to: &entry.pointee.d_name) { name in
                String(cString: UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self))
            }
            guard name != ".", name != ".." else { continue }
            switch Int32(type) {
            case Int32(DT_DIR): entries.append(Entry(name: name, kind: .directory))
            case Int32(DT_LNK), Int32(DT_UNKNOWN):
                var status = stat()
                guard stat(path + "/" + name, &status) == 0 else { continue }
                entries.append(Entry(name: name, kind: status.st_mode & S_IFMT == S_IFDIR ? .directory : .other))
            default: entries.append(Entry(name: name, kind: .other))
            }
        }
        return entries
    }
}
