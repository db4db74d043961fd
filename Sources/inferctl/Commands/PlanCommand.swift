import ArgumentParser
import Foundation
import SelfHostedInferenceCore

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would do, without doing it.",
        discussion: """
        Compares the manifests with the state folder DIR/.inferctl and the live processes. Each line is \
        one instance: + spawn/attach, ~ replace/restart, - stop/detach, = adopt/unchanged, with the reason. \
        With -o json each action also carries its payload: the command line it launches (secrets by \
        reference), host and port, the process it stops, the URL it attaches to, and the record \
        revision it was planned from (see docs/apply.md).

        Exit status: 0 success, 1 invalid manifests or an error. With --detailed-exitcode: \
        0 no changes, 2 changes pending, 1 error.
        """
    )

    @OptionGroup var location: DirectoryArgument
    @OptionGroup var output: OutputOption

    @Flag(help: "Exit 2 when the plan has changes, 0 when it has none, 1 on error.")
    var detailedExitcode = false

    func run() throws {
        let manifests = try ValidManifests.load(location.directory)
        let state = StateCommand.inspect(manifests.layout)
        let unreadable = RecordWarnings.print(state.unreadable)
        let plan = manifests.plan(state)
        KeptUntilExit.keep((manifests, state, plan))
        if let hold = DownHold.read(manifests.layout) {
            Console.err("note: \(location.directory) is \(hold.description); this is what apply would do (apply ends the hold)")
        }
        switch output.format {
        case .json: Console.out(try Console.json(PlanReport(plan: plan)))
        case .text: PlanPrinter.print(plan, directory: location.directory, leftAlone: unreadable)
        }
        if detailedExitcode && plan.hasChanges { throw ExitStatus.changesPending }
    }
}

/// `plan -o json`: versioned, stable field names.
struct PlanReport: Encodable {
    let apiVersion = "inference.selfhosted/v1"
    let kind = "Plan"
    let actions: [PlannedAction]
    let hasChanges: Bool
    let summary: String

    init(plan: Plan) {
        actions = plan.actions
        hasChanges = plan.hasChanges
        summary = plan.summary
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion, kind, actions
        case hasChanges = "has_changes"
        case summary
    }
}
