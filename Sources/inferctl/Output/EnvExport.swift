import Foundation
import SelfHostedInferenceCore

/// `--env`: `NAME='value'` lines for `eval "$(inferctl … --env)"`. The API key, when the
/// endpoint needs one, is resolved from its reference here and printed only to stdout.
enum EnvExport {
    static func lines(_ endpoint: EndpointDescriptor, lease: String? = nil) throws -> [String] {
        var pairs: [(String, String)] = [("OPENAI_BASE_URL", endpoint.baseURL), ("OPENAI_MODEL", endpoint.modelIdentity)]
        if let reference = endpoint.secretHeaders["authorization"] {
            pairs.append(("OPENAI_API_KEY", try SecretResolver().value(of: reference)))
        }
        if let lease { pairs.append(("INFERCTL_LEASE", lease)) }
        return pairs.map { "export \($0.0)=\(shellQuoted($0.1))" }
    }

    /// Single quotes, with each `'` written as `'\''`: safe for any value in sh.
    static func shellQuoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
