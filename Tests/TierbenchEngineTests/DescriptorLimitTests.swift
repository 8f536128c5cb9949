import Testing
import TierbenchCore

@testable import TierbenchEngine

/// The open-file limit is raised at start and a run that cannot fit under it is refused with the fix, instead of
/// failing connection by connection with EMFILE mid-run (and spinning the in-process mock's accept loop).
@Suite struct DescriptorLimitTests {
    @Test func theSoftLimitIsRaisedAndARunBeyondItIsRefused() {
        #expect(DescriptorLimit.raised >= 256)
        let tooMany = DescriptorLimit.raised  // with the in-process mock this needs twice as many plus the reserve
        #expect(throws: EngineError.self) { try DescriptorLimit.check(connections: tooMany, inProcessMock: true) }
        do {
            try DescriptorLimit.check(connections: tooMany, inProcessMock: true)
        } catch {
            #expect(error.description.contains("ulimit -n"), "\(error)")
        }
        #expect(throws: Never.self) { try DescriptorLimit.check(connections: 10, inProcessMock: true) }
    }

    @Test func everyLoopThreadsEpollAndEventfdAreCounted() {
        // Connections that fit with one loop thread (2 descriptors of its own) but not with 8 (16).
        let connections = DescriptorLimit.raised - DescriptorLimit.reserve - 10
        #expect(throws: Never.self) {
            try DescriptorLimit.check(connections: connections, inProcessMock: false, loopThreads: 1)
        }
        do {
            try DescriptorLimit.check(connections: connections, inProcessMock: false, loopThreads: 8)
            Issue.record("8 loop threads need 16 more descriptors than the limit leaves")
        } catch {
            #expect(error.description.contains("\(connections) concurrent connections need about \(connections + 16 + DescriptorLimit.reserve) open files"), "\(error)")
            #expect(error.description.contains("ulimit -n"), "\(error)")
        }
    }

    @Test func theCheckCountsTheLoopThreadsTheRunReallyStarts() throws {
        func plan(_ load: String) throws -> LoadPlan {
            let scenario = try TestScenario("""
                version: 1
                name: threads
                endpoint: chat
                model: gpt-4o-mini
                prompts: { inline: ["hi"] }
                request: { messages: [{ role: user, content: "{prompt}" }], max_tokens: 5 }
                load: \(load)
                """)
            defer { scenario.cleanup() }
            let loaded = try ScenarioFile.load(path: scenario.path)
            return try LoadPlanBuilder.build(loaded: loaded, baseURL: "http://127.0.0.1:9/v1")
        }
        // A closed loop splits over at most one thread per worker; an open loop always runs on one.
        #expect(LoadRunner.loopThreads(try plan("{ max_workers: 3, requests: 10 }"), requested: 8) == 3)
        #expect(LoadRunner.loopThreads(try plan("{ max_workers: 16, requests: 10 }"), requested: 4) == 4)
        #expect(LoadRunner.loopThreads(try plan("{ rate: 10, duration: 1s }"), requested: 8) == 1)
    }
}
