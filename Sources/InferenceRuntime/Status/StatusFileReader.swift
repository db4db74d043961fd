import Foundation
import Glibc
import InferenceModel

/// A status file as read back: what a controller (`apply`, `watch`) last published about an instance.
public enum PublishedStatus: Sendable, Equatable {
    case absent
    /// It exists but is not a status we wrote (a hand edit, a link, garbage); the reason, never its content.
    case unreadable(String)
    case present(InstanceStatus)
}

/// Reads `<name>.instance.status.json` files back, for `wait` and anyone else who follows what was published.
public enum StatusFileReader {
    /// A status file is a few KiB; anything far larger was not written by us.
    static let maximumBytes = 1 << 20
    static let instanceSuffix = ".instance.status.json"

    public static func instance(_ name: String, layout: StateLayout) -> PublishedStatus {
        let bytes: [UInt8]
        do throws(BoundedFileReader.Failure) {
            // Ours are replaced by rename and never links: a link is not followed.
            bytes = try BoundedFileReader.read(layout.instanceStatusPath(name), limit: maximumBytes, followSymlinks: false)
        } catch .cannotOpen(errno: ENOENT) {
            return .absent
        } catch {
            return .unreadable(error.description)
        }
        guard let status = try? JSONCoding.decoder.decode(InstanceStatus.self, from: Data(bytes)) else {
            return .unreadable("it is not a valid instance status")
        }
        return .present(status)
    }

    /// The instances that have a status file in the manifest directory (valid names only), sorted.
    public static func instanceNames(layout: StateLayout) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: layout.manifestDirectory)) ?? []
        return files.compactMap(instanceName(ofFile:)).sorted()
    }

    /// `alpha.instance.status.json` -> `alpha`; nil for any other file (temp files of the atomic writer included).
    public static func instanceName(ofFile file: String) -> String? {
        guard file.hasSuffix(instanceSuffix) else { return nil }
        let name = String(file.dropLast(instanceSuffix.count))
        return ResourceName.isValid(name) ? name : nil
    }
}
