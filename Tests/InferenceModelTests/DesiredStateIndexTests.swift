import Testing
import InferenceModel

/// Lookups by name and label go through an index; it must answer as a scan of the lists would.
@Suite struct DesiredStateIndexTests {
    @Test func theFirstDeclaredNameWins() {
        let state = DesiredState(instances: [Fixture.instance("a", Fixture.sim(), line: 1),
                                             Fixture.instance("a", Fixture.sim(), line: 20)],
                                 consumers: [Fixture.consumer("c", ConsumerSpec(instance: "a"), line: 3),
                                             Fixture.consumer("c", ConsumerSpec(instance: "b"), line: 9)])
        #expect(state.instance(named: "a")?.origin.location.line == 1)
        #expect(state.consumer(named: "c")?.spec.instance == "a")
        #expect(state.instance(named: "missing") == nil)
    }

    @Test func changingAListIsSeenByTheNextLookup() {
        var state = DesiredState(instances: [Fixture.instance("a", Fixture.sim())])
        #expect(state.instance(named: "b") == nil)
        let before = state
        state.instances.append(Fixture.instance("b", Fixture.sim()))
        state.consumers.append(Fixture.consumer("c", ConsumerSpec(instance: "b")))
        #expect(state.instance(named: "b")?.name == "b")
        #expect(state.consumer(named: "c") != nil)
        // A copy taken before keeps answering for its own lists.
        #expect(before.instance(named: "b") == nil)
        #expect(before.consumer(named: "c") == nil)
        state.instances.removeAll()
        #expect(state.instance(named: "a") == nil)
    }

    @Test func selectorsMatchEveryLabelAndSortByName() {
        let state = DesiredState(instances: [
            Fixture.instance("zeta", Fixture.sim(), labels: ["tier": "small", "team": "ml"]),
            Fixture.instance("alpha", Fixture.sim(), labels: ["tier": "small", "team": "ml"]),
            Fixture.instance("mid", Fixture.sim(), labels: ["tier": "small"]),
            Fixture.instance("big", Fixture.sim(), labels: ["tier": "large", "team": "ml"]),
        ])
        #expect(state.instances(matching: ["tier": "small", "team": "ml"]).map(\.name) == ["alpha", "zeta"])
        #expect(state.instances(matching: ["tier": "small"]).map(\.name) == ["alpha", "mid", "zeta"])
        #expect(state.instances(matching: ["tier": "none"]).isEmpty)
        #expect(state.instances(matching: [:]).map(\.name) == ["alpha", "big", "mid", "zeta"])
        #expect(ConsumerBinding.candidates(for: ConsumerSpec(selector: ["team": "ml"]), in: state).map(\.name)
                == ["alpha", "big", "zeta"])
    }

    @Test func equalityIgnoresTheIndex() {
        let state = DesiredState(instances: [Fixture.instance("a", Fixture.sim())])
        _ = state.instance(named: "a")
        #expect(state == DesiredState(instances: [Fixture.instance("a", Fixture.sim())]))
    }
}
