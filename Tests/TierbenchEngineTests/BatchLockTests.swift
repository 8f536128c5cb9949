import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// One run per result folder: a held `.batch.lock` refuses a second new run and a second `--resume` (exit 64);
/// a new run's state file is created with O_EXCL.
@Suite(.serialized) struct BatchLockTests {
    /// Runs the workflow and returns its error (nil when it succeeded).
    static func error(_ path: String, _ options: BatchRunOptions) async -> BatchWorkflowError? {
        do {
            _ = try await BatchWorkflow.run(scenario: path, options: options)
            return nil
        } catch {
            return error
        }
    }

    @Test func aHeldLockRefusesANewRunAndAResume() async throws {
        let scenario = try TestScenario(BatchTestSupport.yaml())
        defer { scenario.cleanup() }
        let held = try BatchRunLock.acquire(directory: scenario.output)
        let refused = await Self.error(scenario.path, BatchTestSupport.options(scenario))
        #expect(refused?.exitCode == ExitCodes.usage)
        #expect(refused?.description.contains("another tierbench batch run is using") == true)
        #expect(!FileManager.default.fileExists(atPath: scenario.output + "/batch-state.json"))
        held.release()

        var prepare = BatchTestSupport.options(scenario)
        prepare.stopAfter = .prepared
        if let failed = await Self.error(scenario.path, prepare) { Issue.record("prepare failed: \(failed)") }
        let again = try BatchRunLock.acquire(directory: scenario.output)
        var resume = BatchTestSupport.options(scenario)
        resume.outputDirectory = nil
        resume.resumeDirectory = scenario.output
        let second = await Self.error(scenario.path, resume)
        #expect(second?.exitCode == ExitCodes.usage)
        #expect(second?.description.contains(".batch.lock") == true)
        again.release()
        // Released: the lock can be taken again (a finished run gives it up too).
        try BatchRunLock.acquire(directory: scenario.output).release()
    }

    @Test func aNewStateFileIsCreatedExclusively() throws {
        let scenario = try TestScenario(BatchTestSupport.yaml())
        defer { scenario.cleanup() }
        try FileManager.default.createDirectory(atPath: scenario.output, withIntermediateDirectories: true)
        let store = BatchStateStore(directory: scenario.output)
        let state = BatchRunState(runID: "tb-1", scenarioPath: scenario.path, scenarioName: "s",
                                  endpoint: "/v1/chat/completions", model: "gpt-4o-mini", target: "mock",
                                  totalLines: 1, maxRounds: 0, startedAt: "a", startedAtUnix: 0)
        try store.create(state)
        do {
            try store.create(state)
            Issue.record("a second create succeeded")
        } catch {
            #expect(error.exitCode == ExitCodes.usage)
        }
    }

    @Test func aResumeOnAnotherTargetIsRefused() async throws {
        let scenario = try TestScenario(BatchTestSupport.yaml())
        defer { scenario.cleanup() }
        var prepare = BatchTestSupport.options(scenario)
        prepare.stopAfter = .prepared
        _ = try await BatchWorkflow.run(scenario: scenario.path, options: prepare)
        let remote = try TestScenario(BatchRedactionTests.yaml(port: 9)
            .replacingOccurrences(of: "name: batch-echo", with: "name: batch-e2e"))
        defer { remote.cleanup() }
        var resume = BatchTestSupport.options(scenario)
        resume.environment = ["TIERBENCH_TEST_ECHO_KEY": "sk-other-target"]
        resume.outputDirectory = nil
        resume.resumeDirectory = scenario.output
        let refused = await Self.error(remote.path, resume)
        #expect(refused?.exitCode == ExitCodes.usage)
        #expect(refused?.description.contains("resume it with that scenario and target") == true, "\(String(describing: refused))")
    }
}
