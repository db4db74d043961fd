import Foundation

/// Turns paths written in manifests into absolute, standardized paths.
enum PathResolver {
    /// `path` made absolute against the current directory, with `.` and `..` removed.
    static func absolute(_ path: String) -> String {
        resolve(path, against: FileManager.default.currentDirectoryPath)
    }

    /// Relative paths are relative to `folder` (the manifest's folder); `~/` is the home directory.
    static func resolve(_ path: String, against folder: String) -> String {
        var expanded = path
        if expanded == "~" || expanded.hasPrefix("~/") {
            expanded = FileManager.default.homeDirectoryForCurrentUser.path + expanded.dropFirst()
        }
        // Joined as text first: standardizing a relative URL would drop a leading `..`.
        let joined = expanded.hasPrefix("/") ? expanded : folder + "/" + expanded
        var result = URL(fileURLWithPath: joined).standardized.path
        while result.count > 1 && result.hasSuffix("/") { result.removeLast() }
        return result
    }
}
