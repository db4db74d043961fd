// swift-client-example DIR CONSUMER [PROMPT]
//
// Gets CONSUMER's endpoint under a lease (starting its instance if it is on demand), sends one
// chat completion to it, renews the lease, and releases it. Exit status 0 when all of that
// worked, 1 otherwise (the lease is released whatever happened after it was taken).
import Foundation
import SelfHostedInferenceCore

let arguments = CommandLine.arguments
guard arguments.count == 3 || arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: swift-client-example DIR CONSUMER [PROMPT]\n".utf8))
    exit(64)
}
let (directory, consumer) = (arguments[1], arguments[2])
let prompt = arguments.count == 4 ? arguments[3] : "Say hello to the Swift client."

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(1)
}

let kernel = InferenceKernel(directory: directory)
let ensured: EnsuredEndpoint
do {
    ensured = try await kernel.ensureEndpoint(consumer: consumer, owner: "swift-client-example (pid \(getpid()))",
                                              ttl: .seconds(60), wait: .seconds(120))
} catch {
    // Typed: .ensure(.incompatible) lists what each candidate lacks, .ensure(.notReady) says why…
    fail("\(error)")
}
let endpoint = ensured.endpoint
let leaseRef = ensured.lease.leaseRef
print("endpoint \(endpoint.baseURL) model \(endpoint.modelIdentity) (instance \(ensured.lease.instance))")
print("lease \(leaseRef), expires \(ensured.lease.expiresAt.formatted(.iso8601))")
for warning in ensured.compatibility.warnings { print("warning: \(warning)") }

var failure: String?
do {
    let reply = try await ChatCompletion.send(prompt, to: endpoint)
    print("reply: \(reply)")
    let renewed = try await kernel.renew(leaseRef, ttl: .seconds(60))
    print("renewed \(leaseRef), expires \(renewed.expiresAt.formatted(.iso8601))")
} catch {
    failure = "\(error)"
}
do {
    try await kernel.release(leaseRef)
    print("released \(leaseRef)")
} catch {
    fail("cannot release \(leaseRef): \(error)")
}
if let failure { fail(failure) }
