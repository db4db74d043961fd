import SelfHostedInferenceCore

/// Terraform-like plan lines: `+ spawn  gemma  new instance`.
enum PlanPrinter {
    /// `leftAlone`: instances whose records cannot be read. The plan leaves them out on purpose
    /// (neither started nor stopped), so they are listed here rather than silently missing.
    static func print(_ plan: Plan, directory: String, leftAlone: [UnreadableRecord]) {
        guard !plan.actions.isEmpty || !leftAlone.isEmpty else {
            Console.out("No instances declared in \(directory).")
            return
        }
        var rows = plan.actions.map { action in
            [style(action.kind.symbol, action.kind), action.kind.rawValue, action.instance, action.reason]
        }
        rows += leftAlone.map { record in
            [Console.styled("!", .yellow), "left alone", record.instance, "its record cannot be read (\(record.reason)); neither started nor stopped"]
        }
        Console.out(lines: Console.table(rows, indent: "  "))
        Console.out()
        var summary = plan.actions.isEmpty ? [] : [plan.summary]
        if !leftAlone.isEmpty {
            let count = leftAlone.count
            summary.append("\(count) instance\(count == 1 ? "" : "s") left alone: \(count == 1 ? "its record" : "their records") cannot be read.")
        }
        Console.out(Console.styled(summary.joined(separator: " "), .bold))
    }

    static func style(_ text: String, _ kind: ActionKind) -> String {
        switch kind {
        case .spawn, .attach: Console.styled(text, .green)
        case .replace, .restart, .rollout, .adopt: Console.styled(text, .yellow)
        case .stop, .detach, .idleStop, .evict: Console.styled(text, .red)
        case .noop: Console.styled(text, .dim)
        }
    }
}
