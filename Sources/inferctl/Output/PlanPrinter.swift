import SelfHostedInferenceCore

/// Terraform-like plan lines: `+ spawn  gemma  new instance`.
enum PlanPrinter {
    static func print(_ plan: Plan, directory: String) {
        guard !plan.actions.isEmpty else {
            Console.out("No instances declared in \(directory).")
            return
        }
        let rows = plan.actions.map { action in
            [style(action.kind.symbol, action.kind), action.kind.rawValue, action.instance, action.reason]
        }
        for line in Console.table(rows, indent: "  ") { Console.out(line) }
        Console.out()
        Console.out(Console.styled(plan.summary, .bold))
    }

    static func style(_ text: String, _ kind: ActionKind) -> String {
        switch kind {
        case .spawn, .attach: Console.styled(text, .green)
        case .replace, .restart, .adopt: Console.styled(text, .yellow)
        case .stop, .detach: Console.styled(text, .red)
        case .noop: Console.styled(text, .dim)
        }
    }
}
