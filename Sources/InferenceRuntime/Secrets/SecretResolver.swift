import Foundation
import InferenceModel

/// Reads secret values at the last moment. Values go to a child's environment or a request header
/// and nowhere else: never into records, status files, plans or our logs.
public struct SecretResolver: Sendable {
    public let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case missingEnvironment(String)
        case unreadableFile(String)
        case empty(String)

        public var description: String {
            switch self {
            case .missingEnvironment(let name): "secret env:\(name) is not set in inferctl's environment"
            case .unreadableFile(let path): "secret file:\(path) cannot be read"
            case .empty(let reference): "secret \(reference) is empty"
            }
        }
    }

    public func value(of reference: SecretReference) throws(Failure) -> String {
        let value: String
        switch reference {
        case .environment(let name):
            guard let found = environment[name] else { throw .missingEnvironment(name) }
            value = found
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else { throw .unreadableFile(path) }
            value = String(decoding: data, as: UTF8.self)
        }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty(reference.description) }
        return trimmed
    }

    /// Header values for probes; an API key becomes `Bearer KEY`.
    public func headers(_ secretHeaders: [String: SecretReference]) throws(Failure) -> [String: String] {
        var headers: [String: String] = [:]
        for (name, reference) in secretHeaders {
            let value = try self.value(of: reference)
            headers[name] = name.lowercased() == "authorization" ? "Bearer \(value)" : value
        }
        return headers
    }
}
