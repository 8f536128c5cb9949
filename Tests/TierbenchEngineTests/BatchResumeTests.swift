import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine
import TierbenchMock

/// A run killed after submitting resumes from its state file without a second upload or batch: the mock's stats
/// count one of each.
@Suite(.serialized) struct BatchResumeTests {
    func killAndResume(after step: BatchRunOptions.Step) async throws {
        let scenario = try TestScenario(BatchTestSupport.yaml())
        defer { scenario.cleanup() }
        let (server, url) = try await BatchTestSupport.startMock(scenario)
        var options = BatchTestSupport.options(scenario)
        options.mockBaseURL = url
        options.stopAfter = step
        let first = try await BatchWorkflow.run(scenario: scenario.path, options: options)
        #expect(first.interrupted && first.summary == nil)
        #expect(first.exitCode == ExitCodes.interrupted)
        let killed = try BatchTestSupport.state(scenario.output)
        #expect(killed.shards[0].createStarted)
        #expect((killed.shards[0].batchID != nil) == (step == .created))
        #expect(server.stats().batchesCreated == 1)

        var resume = BatchTestSupport.options(scenario)
        resume.outputDirectory = nil
        resume.resumeDirectory = scenario.output
        resume.mockBaseURL = url
        let second = try await BatchWorkflow.run(scenario: scenario.path, options: resume)
        let summary = try #require(second.summary)
        #expect(summary.outcomes.ok == 20)
        #expect(summary.runID == killed.runID)
        let stats = server.stats()
        #expect(stats.batchesCreated == 1)
        #expect(stats.batches.filesUploaded == 1)
        await server.stop()
    }

    @Test func killedAfterTheBatchWasRecorded() async throws {
        try await killAndResume(after: .created)
    }

    @Test func killedBetweenTheCreateRequestAndRecordingItsIdReattachesByMetadata() async throws {
        try await killAndResume(after: .createSent)
    }

    @Test func killedAfterUploadUploadsNothingAgain() async throws {
        let scenario = try TestScenario(BatchTestSupport.yaml())
        defer { scenario.cleanup() }
        let (server, url) = try await BatchTestSupport.startMock(scenario)
        var options = BatchTestSupport.options(scenario)
        options.mockBaseURL = url
        options.stopAfter = .uploaded
        _ = try await BatchWorkflow.run(scenario: scenario.path, options: options)
        var resume = BatchTestSupport.options(scenario)
        resume.resumeDirectory = scenario.output
        resume.mockBaseURL = url
        let result = try await BatchWorkflow.run(scenario: scenario.path, options: resume)
        #expect(result.summary?.outcomes.ok == 20)
        #expect(server.stats().batches.filesUploaded == 1)
        #expect(server.stats().batchesCreated == 1)
        await server.stop()
    }

    @Test func anInterruptKeepsTheStateAndAFinishedRunIsNotResent() async throws {
        let scenario = try TestScenario(BatchTestSupport.yaml())
        defer { scenario.cleanup() }
        let (server, url) = try await BatchTestSupport.startMock(scenario)
        var options = BatchTestSupport.options(scenario)
        options.mockBaseURL = url
        let done = try await BatchWorkflow.run(scenario: scenario.path, options: options)
        #expect(done.summary?.outcomes.ok == 20)
        var again = BatchTestSupport.options(scenario)
        again.resumeDirectory = scenario.output
        again.mockBaseURL = url
        let rerun = try await BatchWorkflow.run(scenario: scenario.path, options: again)
        #expect(rerun.summary?.outcomes.ok == 20)
        #expect(server.stats().batchesCreated == 1)
        await server.stop()
    }
}

/// Interrupts and the budget: an interrupted run keeps its state and resumes; a job over `budget.max_usd` is refused
/// before anything is uploaded.
@Suite(.serialized) struct BatchGuardTests {
    @Test func anInterruptedRunResumesWithTheSameBatch() async throws {
        let scenario = try TestScenario(BatchTestSupport.yaml(batch: BatchTestSupport.slowBatch(linesIn24h: 100)))
        defer { scenario.cleanup() }
        let (server, url) = try await BatchTestSupport.startMock(scenario)
        var options = BatchTestSupport.options(scenario)
        options.mockBaseURL = url
        let interrupt = options.interrupt
        let stopper = Task {
            // Stop once the batch exists (polled from the state file), while it is still running.
            for _ in 0..<500 {
                if let state = try? BatchTestSupport.state(scenario.output), state.shards.first?.batchID != nil { break }
                try? await Task.sleep(nanoseconds: 2_000_000)
            }
            interrupt.interrupt()
        }
        let first = try await BatchWorkflow.run(scenario: scenario.path, options: options)
        await stopper.value
        #expect(first.interrupted)
        #expect(first.exitCode == ExitCodes.interrupted)
        var resume = BatchTestSupport.options(scenario)
        resume.resumeDirectory = scenario.output
        resume.mockBaseURL = url
        let second = try await BatchWorkflow.run(scenario: scenario.path, options: resume)
        #expect(second.summary?.outcomes.ok == 20)
        #expect(server.stats().batchesCreated == 1)
        await server.stop()
    }

    @Test func aJobOverTheBudgetIsRefusedBeforeUploading() async throws {
        let scenario = try TestScenario(BatchTestSupport.yaml() + "\nbudget: {max_usd: 0.0000001}\n")
        defer { scenario.cleanup() }
        let (server, url) = try await BatchTestSupport.startMock(scenario)
        var options = BatchTestSupport.options(scenario)
        options.mockBaseURL = url
        do {
            _ = try await BatchWorkflow.run(scenario: scenario.path, options: options)
            Issue.record("a job over budget was submitted")
        } catch {
            guard case .overBudget(let estimate, let maxUSD) = error else { Issue.record("\(error)"); return }
            #expect(estimate > maxUSD)
            #expect(error.description.contains("nothing was submitted"))
        }
        #expect(server.stats().batches.filesUploaded == 0)
        #expect(server.stats().batchesCreated == 0)
        // Refused before any input file was written.
        #expect(!FileManager.default.fileExists(atPath: scenario.output + "/input-001.jsonl"))
        await server.stop()
    }
}

/// A run on the in-process mock cannot be resumed without that mock: refused clearly instead of failing later.
@Suite struct BatchInProcessResumeTests {
    @Test func resumingAnInProcessMockRunIsRefused() async throws {
        let scenario = try TestScenario(BatchTestSupport.yaml())
        defer { scenario.cleanup() }
        var options = BatchTestSupport.options(scenario)
        options.stopAfter = .created
        _ = try await BatchWorkflow.run(scenario: scenario.path, options: options)
        var resume = BatchTestSupport.options(scenario)
        resume.resumeDirectory = scenario.output
        do {
            _ = try await BatchWorkflow.run(scenario: scenario.path, options: resume)
            Issue.record("resumed without the mock")
        } catch {
            #expect(error.exitCode == ExitCodes.usage)
            #expect(error.description.contains("--mock-url"))
        }
    }
}
