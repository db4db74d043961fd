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
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: absolute).sorted()
        } catch {
            outcome.diagnostics.append(.error(at: SourceLocation(file: join(display, relative), line: 1, column: 1),
                                              "cannot list directory: \(error.localizedDescription)"))
            return
        }
        for name in names where !name.hasPrefix(".") {
            let childAbsolute = absolute + "/" + name
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            var isDirectory: ObjCBool = false
            // fileExists follows symlinks: a dangling link reports false and is skipped.
            guard FileManager.default.fileExists(atPath: childAbsolute, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                walk(absolute: childAbsolute, relative: childRelative, display: display, depth: depth + 1,
                     visited: &visited, into: &outcome)
            } else if extensions.contains((name as NSString).pathExtension.lowercased()) {
                outcome.files.append(FoundFile(displayPath: join(display, childRelative), absolutePath: childAbsolute))
            }
        }
    }

    static func join(_ directory: String, _ relative: String) -> String {
        if relative.isEmpty { return directory }
        if directory.isEmpty || directory == "." { return relative }
        return directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }
}
