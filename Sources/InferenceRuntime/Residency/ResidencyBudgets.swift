import Foundation
import InferenceModel

extension ManifestSet {
    /// The directory's residency groups resolved to members (spawned instances only: an attached
    /// server is not ours to stop), and each member's memory: `resources.memory`, or for a GGUF
    /// model its file size plus 10%, read now; neither counts as 0.
    public func residencyInputs() -> ResidencyPlanner.Inputs {
        var memory: [String: Int64] = [:]
        let budgets = state.residencyGroups.map { group -> ResidencyBudget in
            let members = state.instances(matching: group.spec.selector).filter { registry.startupKind(for: $0.spec) == .spawned }
            for member in members where memory[member.name] == nil {
                memory[member.name] = Self.memory(of: member.spec)
            }
            return ResidencyBudget(name: group.name, members: Set(members.map(\.name)),
                                   maxRunning: group.spec.maxRunning, memory: group.spec.memory)
        }
        return ResidencyPlanner.Inputs(budgets: budgets, memory: memory)
    }

    /// The groups `instance` belongs to, by name.
    func residencyGroups(of instance: String, in inputs: ResidencyPlanner.Inputs) -> [ResidencyBudget] {
        inputs.budgets.filter { $0.members.contains(instance) }
    }

    static func memory(of spec: InstanceSpec) -> Int64 {
        if let declared = spec.resources.memory { return declared.bytes }
        guard ResidencyEstimate.estimable(spec), let path = spec.model.path,
              let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber else { return 0 }
        return ResidencyEstimate.memory(forModelFileOf: size.int64Value).bytes
    }
}
