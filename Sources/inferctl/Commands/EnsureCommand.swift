import ArgumentParser
import Foundation
import InferenceControllerAPI
import SelfHostedInferenceCore

struct EnsureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ensure",
        abstract: "Get a consumer a compatible, ready endpoint, held by a lease.",
        discussion: """
        The seed's ensure_endpoint: checks compatibility first (incompatible: exit 1, every missing \
        requirement listed, nothing started), starts the consumer's instance if needed (an OnDemand one \
        included) and waits for it to be ready, takes a lease for --owner, and prints the descriptor with \
        its lease_ref. While the lease is live the instance is not stopped for idleness nor pruned without \
        --force; renew it with `inferctl lease renew`, give it back with `inferctl lease release`.

        While `inferctl watch` runs on DIR this goes through it (POST /v1/leases); otherwise it works \
        under the directory lock. Exit status: 0 with a lease, 1 otherwise (no lease is left behind).
        """
    )

    @Argument(help: "Consumer name.")
    var consumer: String

    @OptionGroup var location: DirectoryArgument

    @Option(help: ArgumentHelp("Who holds the lease (a job id, a hostname, a program name).", valueName: "REF"))
    var owner: String

    @Option(help: ArgumentHelp("Lease time to live; renew it before then.", valueName: "DURATION"))
    var ttl: DurationArgument = DurationArgument(argument: "30s")!

    @Option(name: .customLong("wait"), help: ArgumentHelp("How long to wait for the instance to be ready.", valueName: "DURATION"))
    var waitFor: DurationArgument = DurationArgument(argument: "5m")!

    @Flag(inversion: .prefixedNo, help: "Whether the lease may be renewed.")
    var renewable = true

    @OptionGroup var output: OutputOption

    @Flag(help: "Print OPENAI_BASE_URL, OPENAI_API_KEY (when the endpoint needs one), OPENAI_MODEL and INFERCTL_LEASE for eval.")
    var env = false

    @Option(help: ArgumentHelp("How long to wait for another apply/down/ensure on the same directory.", valueName: "DURATION"))
    var lockTimeout: DurationArgument = DurationArgument(argument: "5m")!

    func validate() throws {
        if env && output.format == .json { throw ValidationError("--env and -o json cannot be combined") }
    }

    func run() async throws {
        let manifests = try ValidManifests.load(location.directory, showWarnings: false, consequence: " Nothing was started.")
        let request = EnsureRequest(consumer: consumer, owner: owner, ttlMilliseconds: ttl.duration.wholeMilliseconds,
                                    renewable: renewable, waitMilliseconds: waitFor.duration.wholeMilliseconds)
        let ensured: EnsuredEndpoint
        if await ControllerClient.runningController(manifests.layout) != nil {
            do {
                let body = try JSONCoding.encoder.encode(request)
                let answer = try await ControllerClient.exchange("POST", "/v1/leases", manifests.layout, body: body,
                                                                 timeout: waitFor.duration)
                ensured = try JSONCoding.decoder.decode(EnsuredEndpoint.self, from: answer)
            } catch {
                Console.err("error: \(error)")
                throw ExitStatus.failure
            }
        } else {
            let lock = try await CommandLock.acquire(manifests.layout, timeout: lockTimeout.duration, holder: "inferctl ensure")
            defer { lock.release() }
            let state = try await StateCommand.recover(manifests.layout)
            do throws(EnsureFailure) {
                ensured = try await EndpointEnsurer(manifests: manifests, folder: state.folder).ensure(request)
            } catch {
                Console.err("error: \(error)")
                throw ExitStatus.failure
            }
        }
        try Self.print(ensured, format: output.format, env: env)
    }

    static func print(_ ensured: EnsuredEndpoint, format: OutputFormat, env: Bool) throws {
        if env {
            let apiKey: String?
            do {
                apiKey = try EndpointEnvironment.apiKey(ensured.endpoint)
            } catch {
                // The lease stands (it expires on its own); nothing is printed rather than half an environment.
                Console.err("error: the endpoint's API key cannot be read: \(error); lease \(ensured.lease.leaseRef) was taken")
                throw ExitStatus.failure
            }
            EndpointEnvironment.lines(ensured.endpoint, apiKey: apiKey, lease: ensured.lease.leaseRef).forEach { Console.out($0) }
            return
        }
        switch format {
        case .json:
            Console.out(try Console.json(ensured))
        case .text:
            let lease = ensured.lease
            Console.out("lease     \(lease.leaseRef) (owner \(lease.ownerRef), expires \(lease.expiresAt.formatted(.iso8601)))")
            Console.out("instance  \(lease.instance)")
            Console.out("base_url  \(ensured.endpoint.baseURL)")
            Console.out("model     \(ensured.endpoint.modelIdentity)")
            for warning in ensured.compatibility.warnings { Console.err("warning: \(warning)") }
        }
    }
}
