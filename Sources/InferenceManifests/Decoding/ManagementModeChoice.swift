import InferenceModel

/// Management modes accept the seed's `jido_managed` as another spelling of `managed`.
enum ManagementModeChoice {
    static let allowed = ManagementMode.allCases.map(\.rawValue)

    static func read(_ node: YAMLNode, field: Field, in context: DecodeContext) -> ManagementMode? {
        ValueReader.choice(node, field: field, allowed: allowed, in: context, parse: ManagementMode.init(wireName:))
    }

    static func readList(_ node: YAMLNode, field: Field, in context: DecodeContext) -> [ManagementMode]? {
        ValueReader.list(node, field: field, in: context) { read($0, field: $1, in: context) }
    }
}
