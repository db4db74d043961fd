import Foundation
import InferenceModel
import InferenceRuntime

extension InferenceKernel {
    /// `ensureEndpoint`, then `body` with the endpoint while the lease is renewed in the
    /// background (every third of its ttl: lease times are stored to the second, so a lease may
    /// lapse up to a second early), then the lease released, whether `body` returns or throws.
    ///
    /// A renewal that fails (the lease was released or expired meanwhile) is logged as a warning
    /// and not retried; `body` goes on, without the lease's protection from idle stops.
    ///
    /// ```swift
    /// let summary = try await kernel.withEndpoint(consumer: "agent", owner: "nightly-eval") { ensured in
    ///     try await summarize(corpus, at: ensured.endpoint)   // however long it takes
    /// }
    /// ```
    public func withEndpoint<Result>(consumer: String, owner: String, ttl: Duration = .seconds(30), wait: Duration = .seconds(300),
                                     _ body: (EnsuredEndpoint) async throws -> Result) async throws -> Result {
        let ensured = try await ensureEndpoint(consumer: consumer, owner: owner, ttl: ttl, wait: wait)
        let reference = ensured.lease.leaseRef
        let renewal = Task { [self] in await keepRenewed(reference, every: ttl / 3) }
        let result: Result
        do {
            result = try await body(ensured)
        } catch {
            renewal.cancel()
            await releaseQuietly(reference)
            throw error
        }
        renewal.cancel()
        await releaseQuietly(reference)
        return result
    }

    private func keepRenewed(_ reference: String, every interval: Duration) async {
        while true {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return // cancelled: the body is done
            }
            do throws(InferenceKernelError) {
                try await renew(reference)
            } catch {
                configuration.logger.warning("lease \(reference) could not be renewed: \(error)")
                return
            }
        }
    }

    private func releaseQuietly(_ reference: String) async {
        do throws(InferenceKernelError) {
            try await release(reference)
        } catch .lease(.unknown) {
            // Already gone (expired and dropped, or released by someone else): nothing held.
        } catch {
            configuration.logger.warning("lease \(reference) could not be released: \(error); it expires by itself")
        }
    }
}
