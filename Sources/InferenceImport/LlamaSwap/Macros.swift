import Foundation
import InferenceManifests
import InferenceModel

/// llama-swap's macros: `${env.NAME}` from the environment, `${name}` from the global `macros` and a
/// model's own (which win), `${MODEL_ID}`. `${PORT}` and `${PID}` are kept: they are filled in at
/// launch (`${PORT}` becomes our `{port}`). A macro may use those defined before it.
struct Macros {
    static let kept: Set<String> = ["PORT", "PID"]

    private(set) var values: [String: String] = [:]
    let environment: [String: String]
    var modelID: String?

    init(environment: [String: String]) {
        self.environment = environment
    }

    /// Adds the macros of one `macros:` map, in order; returns the problems found.
    mutating func define(_ map: PlainYAMLValue?, field: String) -> [Diagnostic] {
        guard let map else { return [] }
        guard let entries = map.entries else {
            return [.error(at: map.location, field: field, "expected a map of macro names to values")]
        }
        var problems: [Diagnostic] = []
        for entry in entries {
            let name = entry.key
            if !Self.isValidName(name) {
                problems.append(.error(at: entry.keyLocation, field: "\(field).\(name)",
                                       "macro names are letters, digits, '_' and '-', shorter than 64 characters"))
                continue
            }
            if Self.kept.contains(name) || name == "MODEL_ID" {
                problems.append(.error(at: entry.keyLocation, field: "\(field).\(name)", "\(name) is reserved by llama-swap"))
                continue
            }
            guard let text = entry.value.text else {
                problems.append(.error(at: entry.value.location, field: "\(field).\(name)", "a macro's value is a string, number or boolean"))
                continue
            }
            switch expand(text, keepingModelID: true) {
            case .success(let value): values[name] = value
            case .failure(let problem): problems.append(.error(at: entry.value.location, field: "\(field).\(name)", problem.message))
            }
        }
        return problems
    }

    struct Problem: Error { var message: String }

    /// `text` with every macro replaced; `${PORT}` and `${PID}` kept.
    func expand(_ text: String, keepingModelID: Bool = false) -> Result<String, Problem> {
        var output = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            output += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                output += rest[open.lowerBound...]
                return .success(output)
            }
            let name = String(rest[open.upperBound..<close])
            rest = rest[rest.index(after: close)...]
            if name.hasPrefix("env.") {
                let variable = String(name.dropFirst(4))
                guard let value = environment[variable] else {
                    return .failure(Problem(message: "environment variable \(variable) is not set (used as ${env.\(variable)})"))
                }
                output += value
            } else if Self.kept.contains(name) || (name == "MODEL_ID" && (keepingModelID || modelID == nil)) {
                output += "${\(name)}"
            } else if name == "MODEL_ID", let modelID {
                output += modelID
            } else if let value = values[name] {
                // A global macro may hold ${MODEL_ID}, kept until a model uses it.
                if let modelID, !keepingModelID { output += value.replacingAll("${MODEL_ID}", with: modelID) } else { output += value }
            } else {
                return .failure(Problem(message: "unknown macro ${\(name)}"))
            }
        }
        return .success(output + rest)
    }

    /// When `text` is exactly `${env.NAME}`: NAME. Secrets written that way become `{env: NAME}`.
    static func environmentReference(_ text: String) -> String? {
        let trimmed = text.trimmingBlanks()
        guard trimmed.hasPrefix("${env."), trimmed.hasSuffix("}") else { return nil }
        let name = String(trimmed.dropFirst(6).dropLast())
        return !name.isEmpty && name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) ? name : nil
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count < 64 && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var output = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            output += rest[..<range.lowerBound]
            output += replacement
            rest = rest[range.upperBound...]
        }
        return output + rest
    }
}
