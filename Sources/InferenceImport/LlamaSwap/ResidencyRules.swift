import InferenceManifests
import InferenceModel

/// Reads which models llama-swap lets run together into `SwapRules`: `matrix` if present, else
/// legacy `groups` plus the implicit default group (every model in no group: swap, exclusive).
enum ResidencyRules {
    struct LegacyGroup {
        var name: String
        var swap = true
        var exclusive = true
        var persistent = false
        var members: [String] = []
    }

    static func read(root: PlainYAMLValue, models: [String], into rules: inout SwapRules, diagnostics: inout [Diagnostic]) {
        if let matrix = root["matrix"] {
            if let groups = root["groups"] {
                diagnostics.append(.error(at: groups.location, field: "groups", "a config uses `matrix` or `groups`, not both"))
            }
            readMatrix(matrix, models: models, into: &rules, diagnostics: &diagnostics)
        } else {
            let groups = legacyGroups(root["groups"], models: models, diagnostics: &diagnostics)
            apply(groups, to: &rules, at: root["groups"]?.location ?? root.location, diagnostics: &diagnostics)
        }
    }

    /// The explicit groups, then the default group of every model in none.
    static func legacyGroups(_ node: PlainYAMLValue?, models: [String], diagnostics: inout [Diagnostic]) -> [LegacyGroup] {
        var groups: [LegacyGroup] = []
        for entry in node?.entries ?? [] {
            var group = LegacyGroup(name: entry.key)
            for setting in entry.value.entries ?? [] {
                let field = "groups.\(entry.key).\(setting.key)"
                let flag = setting.value.text.flatMap { ["true": true, "false": false][$0] }
                switch setting.key {
                case "swap": group.swap = flag ?? true
                case "exclusive": group.exclusive = flag ?? true
                case "persistent": group.persistent = flag ?? false
                case "members":
                    for member in setting.value.items ?? [] {
                        guard let id = member.text, models.contains(id) else {
                            diagnostics.append(.error(at: member.location, field: field, "names no model"))
                            continue
                        }
                        if groups.contains(where: { $0.members.contains(id) }) || group.members.contains(id) {
                            diagnostics.append(.error(at: member.location, field: field, "\(id) is already in a group"))
                            continue
                        }
                        group.members.append(id)
                    }
                default:
                    diagnostics.append(.warning(at: setting.keyLocation, field: field, "unknown group setting; not imported"))
                }
            }
            groups.append(group)
        }
        let grouped = Set(groups.flatMap(\.members))
        let rest = models.filter { !grouped.contains($0) }
        if !rest.isEmpty { groups.append(LegacyGroup(name: "", members: rest)) }
        return groups
    }

    static func apply(_ groups: [LegacyGroup], to rules: inout SwapRules, at location: SourceLocation, diagnostics: inout [Diagnostic]) {
        var approximated = false
        for (i, group) in groups.enumerated() {
            if group.swap {
                for a in group.members { for b in group.members { rules.exclude(a, b) } }
            }
            for other in groups[(i + 1)...] {
                let evictsOther = group.exclusive && !other.persistent
                let evictedByOther = other.exclusive && !group.persistent
                guard evictsOther || evictedByOther else { continue }
                approximated = approximated || evictsOther != evictedByOther
                for a in group.members { for b in other.members { rules.exclude(a, b) } }
            }
        }
        if approximated {
            diagnostics.append(.warning(at: location, field: "groups",
                "an exclusive group evicts a non-exclusive one in one direction only; a residency group is symmetric, so those models never run together"))
        }
    }

    static func readMatrix(_ matrix: PlainYAMLValue, models: [String], into rules: inout SwapRules, diagnostics: inout [Diagnostic]) {
        var vars: [String: String] = [:]
        for entry in matrix["vars"]?.entries ?? [] {
            guard let id = entry.value.text, models.contains(id) else {
                diagnostics.append(.error(at: entry.value.location, field: "matrix.vars.\(entry.key)", "names no model"))
                continue
            }
            vars[entry.key] = id
        }
        if let costs = matrix["evict_costs"] {
            diagnostics.append(.warning(at: costs.location, field: "matrix.evict_costs",
                "not imported: an idle member is evicted least recently leased first, and a leased one never"))
        }
        let setEntries = matrix["sets"]?.entries ?? []
        let expressions = Dictionary(setEntries.compactMap { entry in entry.value.text.map { (entry.key, $0) } }, uniquingKeysWith: { a, _ in a })
        var combinations: [Set<String>] = []
        for entry in setEntries {
            guard let expression = entry.value.text else { continue }
            do {
                for combination in try MatrixExpression.combinations(expression, sets: expressions) {
                    var ids: Set<String> = []
                    for variable in combination {
                        if let id = vars[variable] { ids.insert(id) } else {
                            diagnostics.append(.error(at: entry.value.location, field: "matrix.sets.\(entry.key)", "\(variable) is not in matrix.vars"))
                        }
                    }
                    combinations.append(ids)
                }
            } catch {
                diagnostics.append(.error(at: entry.value.location, field: "matrix.sets.\(entry.key)", error.message))
            }
        }
        func together(_ a: String, _ b: String) -> Bool { combinations.contains { $0.contains(a) && $0.contains(b) } }
        for (i, a) in models.enumerated() {
            for b in models[(i + 1)...] where !together(a, b) { rules.exclude(a, b) }
        }
        // Pairs are all a budget of maxRunning 1 can say: a trio whose pairs may each run together,
        // but which no set allows as a whole, would be allowed here.
        guard models.count <= 200 else { return }
        for (i, a) in models.enumerated() {
            for (j, b) in models.enumerated() where j > i && !rules.excludes(a, b) {
                for c in models[(j + 1)...] where !rules.excludes(a, c) && !rules.excludes(b, c) {
                    if !combinations.contains(where: { $0.isSuperset(of: [a, b, c]) }) {
                        diagnostics.append(.warning(at: matrix.location, field: "matrix.sets",
                            "\(a), \(b) and \(c) may run together after import (each pair is allowed by some set), though no set allows all three"))
                        return
                    }
                }
            }
        }
    }

    /// A group named after the llama-swap group it is, or `swap`, `swap-2`, ...
    static func groupName(members: [String], root: PlainYAMLValue, index: Int, count: Int) -> String {
        for entry in root["groups"]?.entries ?? [] {
            let listed = (entry.value["members"]?.items ?? []).compactMap(\.text)
            if Set(listed) == Set(members) { return entry.key }
        }
        return count == 1 ? "swap" : "swap-\(index + 1)"
    }
}
