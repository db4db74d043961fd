import InferenceModel
import InferenceRuntime

/// `--token-file F`: the bearer token TCP clients must send, read like a secret file (a regular
/// file, read bounded; one line of printable ASCII once surrounding whitespace is trimmed).
public enum APIToken {
    public static func read(file path: String) throws(SecretResolver.Failure) -> String {
        try SecretResolver(environment: [:]).value(of: .file(path))
    }
}
