import Foundation
import Glibc
import InferenceModel

/// A consumer's status file as read back: what a controller (`apply`, `watch`, `ensure`) last
/// published about the endpoint the consumer should use.
public enum PublishedConsumerStatus: Sendable, Equatable {
    /// No status file: nothing has applied the manifests yet, or the consumer is not declared.
    case absent
    /// It exists but is not a status we wrote (a hand edit, a link, garbage): the reason, never its content.
    case unreadable(String)
    /// The status as published.
    case present(ConsumerStatus)

    /// The status, when there is a readable one.
    public var status: ConsumerStatus? {
        if case .present(let status) = self { return status }
        return nil
    }

    /// The endpoint to use, only while the consumer is ready (its instance ready and compatible).
    public var readyEndpoint: EndpointDescriptor? {
        guard let status, status.ready else { return nil }
        return status.endpoint
    }
}

extension StatusFileReader {
    static let consumerSuffix = ".consumer.status.json"

    /// Reads `<consumer>.consumer.status.json` (bounded, never through a link).
    public static func consumer(_ name: String, layout: StateLayout) -> PublishedConsumerStatus {
        let bytes: [UInt8]
        do throws(BoundedFileReader.Failure) {
            bytes = try BoundedFileReader.read(layout.consumerStatusPath(name), limit: maximumBytes, followSymlinks: false)
        } catch .cannotOpen(errno: ENOENT) {
            return .absent
        } catch {
            return .unreadable(error.description)
        }
        guard let status = try? JSONCoding.decoder.decode(ConsumerStatus.self, from: Data(bytes)) else {
            return .unreadable("it is not a valid consumer status")
        }
        guard status.consumer == name else { return .unreadable("it is the status of consumer '\(status.consumer)'") }
        return .present(status)
    }

    /// `agent.consumer.status.json` -> `agent`; nil for any other file (temp files of the atomic writer included).
    public static func consumerName(ofFile file: String) -> String? {
        guard file.hasSuffix(consumerSuffix) else { return nil }
        let name = String(file.dropLast(consumerSuffix.count))
        return ResourceName.isValid(name) ? name : nil
    }
}
