import Testing
@testable import InferenceRuntime

@Suite("The controller's work queue")
struct WorkQueueTests {
    @Test func aKeyWaitsOnceAndOneBeingReconciledRunsAgainAfter() async {
        let queue = WorkQueue<String>()
        await queue.add("a")
        await queue.add("a")
        await queue.add("b")
        #expect(await queue.depth == 2)
        let first = await queue.next()
        #expect(first == "a")
        await queue.add("a") // changed while being reconciled
        #expect(await queue.depth == 1, "not handed out twice at once")
        #expect(await queue.next() == "b")
        await queue.done("a")
        #expect(await queue.next() == "a")
        await queue.done("a")
        await queue.done("b")
        #expect(await queue.isIdle)
    }

    @Test func delayedAddsKeepTheEarliestDeadline() async {
        let queue = WorkQueue<String>()
        await queue.add("a", after: .seconds(60))
        await queue.add("a", after: .milliseconds(10))
        await queue.add("a", after: .seconds(30))
        #expect(await queue.isIdle == false)
        let key = await queue.next()
        #expect(key == "a")
        await queue.done("a")
        #expect(await queue.isIdle, "the later timers were dropped")
    }

    @Test func shutdownReleasesWaiters() async {
        let queue = WorkQueue<String>()
        async let waiting = queue.next()
        await queue.shutdownQueue()
        #expect(await waiting == nil)
    }
}
