/// Which models llama-swap lets run at the same time, reduced to what a residency budget says:
/// groups of models of which at most one runs (`maxRunning: 1`). Two models that may never run
/// together are an exclusive pair; the pairs are covered by as few groups as possible, each a set
/// of models that pairwise exclude each other.
struct SwapRules {
    /// Model IDs in config order.
    let models: [String]
    private(set) var exclusive: Set<Pair> = []

    struct Pair: Hashable {
        let first: String
        let second: String
        init(_ a: String, _ b: String) {
            (first, second) = a < b ? (a, b) : (b, a)
        }
    }

    init(models: [String]) {
        self.models = models
    }

    mutating func exclude(_ a: String, _ b: String) {
        if a != b { exclusive.insert(Pair(a, b)) }
    }

    func excludes(_ a: String, _ b: String) -> Bool { exclusive.contains(Pair(a, b)) }

    /// Groups of mutually exclusive models covering every exclusive pair, greedily: each group
    /// starts from the first uncovered pair (in config order) and takes every later model that
    /// excludes all members so far. Deterministic; small configs only (quadratic in models).
    func groups() -> [[String]] {
        var uncovered = exclusive
        var groups: [[String]] = []
        for (i, a) in models.enumerated() {
            for b in models[(i + 1)...] where uncovered.contains(Pair(a, b)) {
                var group = [a, b]
                for candidate in models where !group.contains(candidate) && group.allSatisfy({ excludes($0, candidate) }) {
                    group.append(candidate)
                }
                group.sort { models.firstIndex(of: $0)! < models.firstIndex(of: $1)! }
                for (x, first) in group.enumerated() {
                    for second in group[(x + 1)...] { uncovered.remove(Pair(first, second)) }
                }
                groups.append(group)
            }
        }
        return groups
    }
}
