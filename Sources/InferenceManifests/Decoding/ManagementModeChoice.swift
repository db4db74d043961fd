import InferenceModel

/// Management modes accept the seed's `jido_managed` as another spelling of `managed`.
enum ManagementModeChoice {
    static let allowed = ManagementMode.allCases.map(\.rawValue)

    static func read(_ node: YAMLNode, path: String, in context: DecodeContext) -> ManagementMode? {
        ValueReader.choice(node, path: path, allowed: allowed, in: context, parse: ManagementMode.init(wireName:))
    }

    static func readList(_ node: YAMLNode, path: String, in context: DecodeContext) -> [ManagementMode]? {
        ValueReader.list(node, path: path, in: context) { read($0, path: $1, in: context) }
    }
}
