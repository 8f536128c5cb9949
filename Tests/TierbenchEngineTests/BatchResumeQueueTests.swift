import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine
import TierbenchMock

/// A run planned under `--queue-limit` keeps to it when resumed without the flag: the state file records it.
@Suite(.serialized) struct BatchResumeQueueTests {
    @Test func aResumeKeepsTheQueueLimitTheRunWasPlannedUnder() async throws {
        let scenario = try TestScenario(BatchTestSupport.yaml())
        defer { scenario.cleanup() }
        let (server, url) = try await BatchTestSupport.startMock(scenario)
        var options = BatchTestSupport.options(scenario)
        options.mockBaseURL = url
        options.queueLimit = 200
        options.stopAfter = .prepared
        _ = try await BatchWorkflow.run(scenario: scenario.path, options: options)
        let prepared = try BatchTestSupport.state(scenario.output)
        #expect(prepared.queueLimit == 200)
        #expect(prepared.shards.count >= 2)

        var resume = BatchTestSupport.options(scenario)
        resume.outputDirectory = nil
        resume.resumeDirectory = scenario.output
        resume.mockBaseURL = url
        let messages = Messages()
        let result = try await BatchWorkflow.run(scenario: scenario.path, options: resume) { messages.add($0.message) }
        #expect(result.summary?.outcomes.ok == 20)
        // Under the budget the second batch is created only after the first ended (without it, all at once).
        let lines = messages.all
        let created = lines.indices.filter { lines[$0].hasPrefix("created ") }
        let ended = try #require(lines.firstIndex { $0.contains(" ended ") })
        #expect(created.count == prepared.shards.count)
        #expect(created.count >= 2 && ended < created[1], "\(lines)")
        await server.stop()
    }
}
