import Foundation
import SelfHostedInferenceCore

/// Which instances `wait` waits for, and how to look at them: status files, records checked against
/// /proc exactly as `inferctl status` checks them, and the manifests' spec hashes.
struct WaitSubjects {
    let layout: StateLayout
    let names: [String]
    /// Spec hash of each declared instance, to tell a status of the current manifest from an earlier one's.
    let generations: [String: String]

    /// One look, judged: a verdict per name, in the order given.
    func verdicts(_ condition: WaitCondition, state: PreparedState, now: Date = Date()) -> [WaitVerdict] {
        let live = Dictionary(LiveStatus.current(state.records, observer: Observer(folder: state.folder), now: now).map { ($0.name, $0) },
                              uniquingKeysWith: { first, _ in first })
        let unreadable = Dictionary(state.unreadable.map { ($0.instance, $0.reason) }, uniquingKeysWith: { first, _ in first })
        return names.map { name in
            WaitDecision.verdict(condition, WaitObservation(name: name, declaredGeneration: generations[name],
                                                            published: StatusFileReader.instance(name, layout: layout),
                                                            live: live[name], unreadableRecord: unreadable[name]))
        }
    }

    /// Problems with the names given on the command line: invalid, or (waiting for ready) unknown —
    /// neither declared nor with a status file or record. Waiting for those could only time out.
    static func problems(_ names: [String], condition: WaitCondition, manifests: ManifestSet, state: PreparedState) -> [String] {
        let declared = Set(manifests.state.instances.map(\.name))
        let recorded = Set(state.records.map(\.name) + state.unreadable.map(\.instance))
        return names.compactMap { name in
            if let problem = ResourceName.problem(name) { return "not an instance name: \(problem)" }
            guard condition == .ready, !declared.contains(name), !recorded.contains(name),
                  StatusFileReader.instance(name, layout: manifests.layout) == .absent else { return nil }
            return "no instance named '\(name)' in \(manifests.directory): it is not declared and has no status file or record"
        }
    }

    /// The names waited for when none are given: for `ready`, every declared instance; for `deleted`, every
    /// instance that is no longer declared but still has a status file or record (what a prune will remove).
    static func defaultNames(_ condition: WaitCondition, manifests: ManifestSet, state: PreparedState) -> [String] {
        let declared = manifests.state.instances.map(\.name)
        switch condition {
        case .ready:
            return declared.sorted()
        case .deleted:
            let known = Set(StatusFileReader.instanceNames(layout: manifests.layout) + state.records.map(\.name)
                            + state.unreadable.map(\.instance))
            return known.subtracting(declared).sorted()
        }
    }
}
