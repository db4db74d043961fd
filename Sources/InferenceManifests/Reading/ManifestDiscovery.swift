import Foundation
import InferenceModel

/// Finds manifest files under a directory.
///
/// Hidden entries (`.git`, `.inferctl`, `.draft.yaml`) are skipped; symlinked folders are followed
/// once each (by their resolved path), so a link back to a parent cannot loop.
enum ManifestDiscovery {
    struct FoundFile: Equatable {
        /// The directory as the user gave it, joined with the path relative to it.
        var displayPath: String
        var absolutePath: String
        /// The folder holding it, absolute: relative paths in its specs are resolved against it.
        var folder: String
    }

    struct Outcome {
        var files: [FoundFile] = []
        var diagnostics: [Diagnostic] = []
    }

    static let extensions: Set<String> = ["yaml", "yml"]
    /// Deeper than any sensible manifest tree; stops pathological nesting.
    static let maximumDepth = 32

    static func find(in directory: String) -> Outcome {
        var outcome = Outcome()
        let root = PathResolver.absolute(directory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
            outcome.diagnostics.append(.error(at: SourceLocation(file: directory, line: 1, column: 1),
                                              "manifest directory does not exist",
                                              hint: "create it or pass another directory"))
            return outcome
        }
        guard isDirectory.boolValue else {
            outcome.diagnostics.append(.error(at: SourceLocation(file: directory, line: 1, column: 1),
                                              "not a directory", hint: "pass the folder that holds the manifests"))
            return outcome
        }
        var visited: Set<String> = []
        walk(absolute: root, relative: "", display: directory, depth: 0, visited: &visited, into: &outcome)
        return outcome
    }

    private static func walk(absolute: String, relative: String, display: String, depth: Int,
                             visited: inout Set<String>, into outcome: inout Outcome) {
        let resolved = URL(fileURLWithPath: absolute).resolvingSymlinksInPath().path
        guard depth <= maximumDepth, visited.insert(resolved).inserted else { return }
        guard let entries = DirectoryListing.entries(of: absolute) else {
            outcome.diagnostics.append(listingProblem(absolute: absolute, display: join(display, relative)))
            return
        }
        // Sorted as before (String order), so files are read, and reported, in the same order everywhere.
        var folder: String?
        for entry in entries.sorted(by: { $0.name < $1.name }) where !entry.name.hasPrefix(".") {
            let childAbsolute = absolute + "/" + entry.name
            let childRelative = relative.isEmpty ? entry.name : relative + "/" + entry.name
            switch entry.kind {
            case .directory:
                walk(absolute: childAbsolute, relative: childRelative, display: display, depth: depth + 1,
                     visited: &visited, into: &outcome)
            case .other:
                guard isManifestName(entry.name) else { continue }
                let parent = folder ?? (childAbsolute as NSString).deletingLastPathComponent
                folder = parent
                outcome.files.append(FoundFile(displayPath: join(display, childRelative), absolutePath: childAbsolute,
                                               folder: parent))
            }
        }
    }

    /// `*.yaml` or `*.yml`, any case: the extension as Foundation's `pathExtension` finds it
    /// (after the last dot, unless the name starts with it), without its cost per file.
    static func isManifestName(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        return extensions.contains(name[name.index(after: dot)...].lowercased())
    }

    /// FileManager's words for why a directory cannot be listed.
    private static func listingProblem(absolute: String, display: String) -> Diagnostic {
        var reason = "it cannot be opened"
        do {
            _ = try FileManager.default.contentsOfDirectory(atPath: absolute)
        } catch {
            reason = error.localizedDescription
        }
        return .error(at: SourceLocation(file: display, line: 1, column: 1), "cannot list directory: \(reason)")
    }

    static func join(_ directory: String, _ relative: String) -> String {
        if relative.isEmpty { return directory }
        if directory.isEmpty || directory == "." { return relative }
        return directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }
}
