import ArgumentParser
import Foundation
import InferenceControllerAPI
import SelfHostedInferenceCore

struct LeaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lease",
        abstract: "List, renew and release the leases `inferctl ensure` handed out.",
        subcommands: [LeaseListCommand.self, LeaseRenewCommand.self, LeaseReleaseCommand.self]
    )
}

struct LeaseListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Every lease: owner, consumer, instance, expiry. Lease files that cannot be believed are named (they hold nothing)."
    )

    @OptionGroup var location: DirectoryArgument
    @OptionGroup var output: OutputOption

    func run() async throws {
        let layout = StateLayout(manifestDirectory: location.directory)
        let list: LeaseList
        if await ControllerClient.runningController(layout) != nil {
            do {
                list = try JSONCoding.decoder.decode(LeaseList.self, from: try await ControllerClient.exchange("GET", "/v1/leases", layout))
            } catch {
                Console.err("error: \(error)")
                throw ExitStatus.failure
            }
        } else {
            let scan = LeaseStore(layout: layout).scan()
            list = LeaseList(leases: scan.leases, rejected: scan.rejected)
        }
        for rejected in list.rejected { Console.err("warning: \(rejected.file) is not a lease (\(rejected.reason)); it holds nothing") }
        switch output.format {
        case .json:
            Console.out(try Console.json(list))
        case .text:
            guard !list.leases.isEmpty else {
                Console.out("No leases in \(location.directory).")
                return
            }
            let now = Date()
            var rows = [["LEASE", "OWNER", "CONSUMER", "INSTANCE", "EXPIRES IN"]]
            for lease in list.leases.sorted(by: { $0.expiresAt < $1.expiresAt }) {
                let left = lease.expiresAt.timeIntervalSince(now)
                rows.append([lease.leaseRef, lease.ownerRef, lease.consumer, lease.instance,
                             left > 0 ? DurationText.short(left) : "expired"])
            }
            for line in Console.table(rows) { Console.out(line) }
        }
    }
}

struct LeaseRenewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew",
        abstract: "Extend a live lease: it expires --ttl from now (default: its own ttl). Exit 1 if unknown or expired."
    )

    @Argument(help: "The lease_ref ensure printed.")
    var reference: String

    @OptionGroup var location: DirectoryArgument

    @Option(help: ArgumentHelp("New time to live.", valueName: "DURATION"))
    var ttl: DurationArgument?

    @OptionGroup var output: OutputOption

    func run() async throws {
        let ttlMilliseconds = ttl.map { $0.duration.wholeMilliseconds }
        let lease = try await LeaseVerb.perform(reference, location.directory, route: "POST", suffix: "/renew",
                                                body: ttlMilliseconds.map { #"{"ttl_ms": \#($0)}"# }) { ledger in
            try ledger.renew(reference, ttlMilliseconds: ttlMilliseconds, now: Date())
        }
        if output.format == .json { Console.out(try Console.json(lease)) } else {
            Console.out("renewed \(lease.leaseRef): expires \(lease.expiresAt.formatted(.iso8601))")
        }
    }
}

struct LeaseReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Give a lease back. Its instance's idle time starts now. Exit 1 if unknown."
    )

    @Argument(help: "The lease_ref ensure printed.")
    var reference: String

    @OptionGroup var location: DirectoryArgument

    func run() async throws {
        let lease = try await LeaseVerb.perform(reference, location.directory, route: "DELETE", suffix: "", body: nil) { ledger in
            try ledger.release(reference, now: Date())
        }
        Console.out("released \(lease.leaseRef) (instance \(lease.instance))")
    }
}

/// renew and release: through a running controller, or under the directory lock.
enum LeaseVerb {
    static func perform(_ reference: String, _ directory: String, route: String, suffix: String, body: String?,
                        locally: (LeaseLedger) throws -> Lease) async throws -> Lease {
        guard LeaseRules.isValidReference(reference) else {
            Console.err("error: '\(reference)' is not a lease reference (lease-<32 hex digits>)")
            throw ExitStatus.failure
        }
        let layout = StateLayout(manifestDirectory: directory)
        do {
            if await ControllerClient.runningController(layout) != nil {
                let answer = try await ControllerClient.exchange(route, "/v1/leases/\(reference)\(suffix)", layout,
                                                                 body: body.map { Data($0.utf8) })
                return try JSONCoding.decoder.decode(Lease.self, from: answer)
            }
            guard FileManager.default.fileExists(atPath: layout.stateDirectory) else {
                throw LeaseLedger.Failure.unknown(reference)
            }
            let lock = try await CommandLock.acquire(layout, timeout: .seconds(300), holder: "inferctl lease")
            defer { lock.release() }
            return try locally(LeaseLedger(layout: layout))
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Console.err("error: \(error)")
            throw ExitStatus.failure
        }
    }
}
