import Foundation
import InferenceModel

/// Reads secret values at the last moment. Values go to a child's environment or a request header
/// and nowhere else: never into records, status files, plans or our logs.
///
/// Every value is checked (`SecretValueRules`) before it is handed out, and then registered with
/// `redactor`, so text that leaves the runtime can be cleaned of it.
public struct SecretResolver: Sendable {
    public let environment: [String: String]
    public let redactor: SecretRedactor

    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                redactor: SecretRedactor = SecretRedactor()) {
        self.environment = environment
        self.redactor = redactor
    }

    /// Why a secret cannot be used. Every message names the reference (`secret env:NAME …`,
    /// `secret file:PATH …`) and never any part of the value.
    public enum Failure: Error, CustomStringConvertible, Equatable {
        case missingEnvironment(String)
        case unreadableFile(String, reason: String)
        case notARegularFile(String)
        case invalid(reference: String, explanation: String)

        public var description: String {
            switch self {
            case .missingEnvironment(let name): "secret env:\(name) is not set in inferctl's environment"
            case .unreadableFile(let path, let reason): "secret file:\(path) cannot be read: \(reason)"
            case .notARegularFile(let path): "secret file:\(path) is not a regular file"
            case .invalid(let reference, let explanation): "secret \(reference) \(explanation)"
            }
        }
    }

    /// The value, trimmed of surrounding whitespace and checked; registered with `redactor`.
    public func value(of reference: SecretReference) throws(Failure) -> String {
        let raw = try read(reference)
        let value: String
        do throws(SecretValueRules.Violation) {
            value = try SecretValueRules.check(raw)
        } catch {
            throw .invalid(reference: reference.description, explanation: error.explanation)
        }
        redactor.register(value)
        return value
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

    /// The stored text, unchecked. A file is read only up to the size limit (plus one byte, to tell).
    private func read(_ reference: SecretReference) throws(Failure) -> String {
        switch reference {
        case .environment(let name):
            guard let found = environment[name] else { throw .missingEnvironment(name) }
            return found
        case .file(let path):
            do throws(BoundedFileReader.Failure) {
                let bytes = try BoundedFileReader.read(path, limit: SecretValueRules.maximumBytes)
                return String(decoding: bytes, as: UTF8.self)
            } catch {
                switch error {
                case .cannotOpen(let code), .readFailed(let code): throw .unreadableFile(path, reason: errnoText(code))
                case .notARegularFile: throw .notARegularFile(path)
                case .tooLarge:
                    throw .invalid(reference: reference.description, explanation: SecretValueRules.Violation.tooLarge.explanation)
                }
            }
        }
    }
}
