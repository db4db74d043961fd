import ArgumentParser
import Foundation
import SelfHostedInferenceCore

struct EndpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "endpoint",
        abstract: "Print the endpoint a consumer should use now (base URL, model), or why it has none.",
        discussion: """
        The consumer's EndpointDescriptor as it is now: its status checked against the live processes \
        (a server that has died is not handed out), the way status does. While `inferctl watch` runs on \
        DIR, the controller is asked (its API, GET /v1/consumers/NAME/endpoint). No lease is taken: an \
        instance activated on demand is not started.

        --env prints OPENAI_BASE_URL and OPENAI_MODEL, shell-quoted, for \
        `eval "$(inferctl endpoint NAME --env)"`; OPENAI_API_KEY too when the instance's server.apiKey \
        names a secret (read from this command's environment or file, printed to stdout only).

        Exit status: 0 ready; 1 not ready (`error: consumer NAME is not ready (Reason): message` on \
        stderr), an unknown consumer, or invalid manifests.
        """
    )

    @Argument(help: "Consumer name.")
    var consumer: String

    @OptionGroup var location: DirectoryArgument
    @OptionGroup var output: OutputOption

    @Flag(help: "Print OPENAI_BASE_URL, OPENAI_MODEL (and OPENAI_API_KEY) assignments for a shell's eval.")
    var env = false

    func validate() throws {
        if env && output.format == .json { throw ValidationError("--env and -o json print different things: choose one") }
    }

    func run() async throws {
        try CommandLock.requireDirectory(location.directory)
        let manifests = try ValidManifests.load(location.directory)
        guard manifests.state.consumer(named: consumer) != nil else {
            let hint = Suggestions.closest(to: consumer, among: manifests.state.consumers.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
            Console.err("error: no consumer named '\(consumer)' in \(location.directory)\(hint)")
            throw ExitStatus.failure
        }
        let endpoint = try await currentEndpoint(manifests)
        if env {
            try printEnvironment(endpoint)
            return
        }
        switch output.format {
        case .json:
            Console.out(try Console.json(endpoint))
        case .text:
            var rows = [["base URL", endpoint.baseURL], ["model", endpoint.modelIdentity],
                        ["protocol", endpoint.protocol.rawValue], ["instance", Self.instance(of: endpoint)]]
            if let key = EndpointEnvironment.apiKeyReference(endpoint) { rows.append(["API key", "\(key) (a secret, by reference)"]) }
            for line in Console.table(rows) { Console.out(line) }
        }
    }

    /// The descriptor, from the running controller or else from the state folder and /proc now.
    /// Not ready: says why on stderr and exits 1.
    private func currentEndpoint(_ manifests: ManifestSet) async throws -> EndpointDescriptor {
        let layout = manifests.layout
        guard let controller = await ControllerClient.runningController(layout) else {
            guard let status = LiveState.read(layout).consumer(consumer, manifests: manifests) else {
                try Self.fail("no consumer named '\(consumer)'")
            }
            guard status.ready, let endpoint = status.endpoint else { try Self.fail(status.notReadyExplanation) }
            return endpoint
        }
        if output.format == .text && !env { Console.err("(as the controller sees it: \(controller))") }
        let answer: ControllerClient.EndpointAnswer
        do {
            answer = try await ControllerClient.consumerEndpoint(consumer, layout)
        } catch {
            try Self.fail("\(error)")
        }
        switch answer {
        case .ready(let endpoint): return endpoint
        case .notReady(let explanation): try Self.fail(explanation)
        case .unknown(let message): try Self.fail("\(message), as the controller sees it (its manifests may lag an edit)")
        }
    }

    private func printEnvironment(_ endpoint: EndpointDescriptor) throws {
        var apiKey: String?
        if let reference = EndpointEnvironment.apiKeyReference(endpoint) {
            do {
                apiKey = try SecretResolver().value(of: reference)
            } catch {
                // Nothing is printed: half an environment would send requests without the key.
                try Self.fail("the API key of consumer \(consumer)'s instance cannot be read: \(error)")
            }
        }
        for line in EndpointEnvironment.lines(endpoint, apiKey: apiKey) { Console.out(line) }
    }

    private static func fail(_ message: String) throws -> Never {
        Console.err("error: \(message)")
        throw ExitStatus.failure
    }

    private static func instance(of endpoint: EndpointDescriptor) -> String {
        if case .string(let name)? = endpoint.metadata["instance"] { return name }
        return String(endpoint.endpointID.prefix { $0 != ":" })
    }
}
