import Foundation
import InferenceModel

/// Reads a manifest file defensively: size is checked before reading (a 50 MB file is refused
/// without being loaded), only regular files are opened (a FIFO would block), and content that
/// is not UTF-8 text is refused before the YAML parser sees it.
enum ManifestFileReader {
    /// Generated GitOps files reach tens of MiB; anything larger is a mistake or an attack.
    static let maximumBytes = 64 * 1024 * 1024

    enum Outcome {
        case text(String)
        case refused(Diagnostic)
    }

    static func read(path: String, displayPath: String) -> Outcome {
        let start = SourceLocation(file: displayPath, line: 1, column: 1)
        if let bytes = PlainFileRead.bytes(atPath: path, limit: maximumBytes) {
            return text(bytes, at: start)
        }
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            return .refused(.error(at: start, "cannot read file: \(error.localizedDescription)"))
        }
        // attributesOfItem does not follow a final symlink; look at what it points to.
        var type = attributes[.type] as? FileAttributeType
        var size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        if type == .typeSymbolicLink {
            let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            let targetAttributes = try? FileManager.default.attributesOfItem(atPath: target)
            type = targetAttributes?[.type] as? FileAttributeType
            size = (targetAttributes?[.size] as? NSNumber)?.intValue ?? 0
        }
        guard type == .typeRegular else {
            return .refused(.error(at: start, "not a regular file", hint: "manifests are plain YAML files"))
        }
        guard size <= maximumBytes else {
            return .refused(tooLarge(size: size, at: start))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .refused(.error(at: start, "cannot open file for reading"))
        }
        defer { try? handle.close() }
        // Read one byte past the limit: the file may have grown since it was measured.
        let data: Data
        do {
            data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
        } catch {
            return .refused(.error(at: start, "cannot read file: \(error.localizedDescription)"))
        }
        guard data.count <= maximumBytes else {
            return .refused(tooLarge(size: data.count, at: start))
        }
        return text(data, at: start)
    }

    private static func text(_ bytes: some ContiguousBytes & Collection<UInt8>, at start: SourceLocation) -> Outcome {
        guard !containsNUL(bytes), let text = String(validating: bytes, as: UTF8.self) else {
            return .refused(notText(at: start))
        }
        return .text(text)
    }

    /// The same checks for text handed over directly.
    static func check(text: String, displayPath: String) -> Diagnostic? {
        let start = SourceLocation(file: displayPath, line: 1, column: 1)
        let size = text.utf8.count
        if size > maximumBytes { return tooLarge(size: size, at: start) }
        var text = text
        if text.withUTF8({ bytes in bytes.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false }) {
            return notText(at: start)
        }
        return nil
    }

    /// memchr, not `contains`: a generic loop over 64 MiB is slow in a debug build.
    static func containsNUL(_ data: some ContiguousBytes) -> Bool {
        data.withUnsafeBytes { bytes in bytes.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false }
    }

    static func tooLarge(size: Int, at location: SourceLocation) -> Diagnostic {
        .error(at: location, "file is too large: \(describe(bytes: size)), the limit is \(describe(bytes: maximumBytes))",
               hint: "manifests are small text files; split or trim this one")
    }

    static func notText(at location: SourceLocation) -> Diagnostic {
        .error(at: location, "not a text file (NUL bytes or invalid UTF-8)",
               hint: "manifests are UTF-8 YAML text")
    }

    static func describe(bytes: Int) -> String {
        if bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 { return "\(bytes / (1024 * 1024)) MiB (\(bytes) bytes)" }
        if bytes >= 1024 * 1024 {
            let tenths = bytes * 10 / (1024 * 1024)
            return "\(tenths / 10).\(tenths % 10) MiB (\(bytes) bytes)"
        }
        return "\(bytes) bytes"
    }
}
