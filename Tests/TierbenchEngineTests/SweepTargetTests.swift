import Foundation
import Synchronization
import Testing
import TierbenchCore

@testable import TierbenchEngine

/// Issue 11 items 1 and 2: a sweep of a scenario aimed at a URL measures that URL, and every axis is checked before
/// the first point runs (a mistyped tier or a chat batch size used to surface only after other points ran).
@Suite struct SweepTargetTests {
    static func yaml(target: String, sweep: String) -> String {
        """
        version: 1
        name: sweep-target
        target: \(target)
        endpoint: chat
        request: { messages: [{ role: user, content: "{prompt}" }], max_tokens: 5 }
        prompts: { inline: ["hello"] }
        load: { max_workers: 1, requests: 4 }
        sweep: \(sweep)
        """
    }

    @Test func aSweepWithoutTiersSendsToTheScenariosURL() async throws {
        let server = try FixedDelayServer(delay: 0.001)
        defer { server.stop() }
        let scenario = try TestScenario(Self.yaml(
            target: "{ base_url: \"http://127.0.0.1:\(server.port)/v1\" }", sweep: "{ max_workers: [1, 2] }"))
        defer { scenario.cleanup() }
        let outcome = try await SweepRunner.run(scenario.sweepOptions())
        // Two points of 4 requests each, all at the scenario's server; none went to an in-process mock.
        #expect(server.requestsServed == 8)
        #expect(outcome.result.points.allSatisfy { !$0.settings.tier.isMock })
    }

    @Test func mockTiersOnARealTargetAreExplicitAndPrinted() async throws {
        let scenario = try TestScenario(Self.yaml(
            target: "{ base_url: \"http://127.0.0.1:\(closedLoopbackPort())/v1\" }",
            sweep: "{ max_workers: [1], tier: [unlimited] }"))
        defer { scenario.cleanup() }
        let lines = Mutex<[String]>([])
        _ = try await SweepRunner.run(scenario.sweepOptions()) { line in lines.withLock { $0.append(line) } }
        let notes = lines.withLock { $0 }.filter { $0.hasPrefix("note:") }
        #expect(notes.count == 1, "\(lines.withLock { $0 })")
        #expect(notes.first?.contains("built-in mock") == true)
    }

    @Test func aMistypedTierFailsBeforeAnyPointRuns() async throws {
        let scenario = try TestScenario(Self.yaml(
            target: "mock", sweep: "{ max_workers: [1, 2], tier: [tier1, tier7] }"))
        defer { scenario.cleanup() }
        let points = PointCounter()
        do {
            _ = try await SweepRunner.run(scenario.sweepOptions()) { _ in _ = points.increment() }
            Issue.record("a sweep with tier7 ran")
        } catch {
            #expect(error.description.contains("tier7"), "\(error)")
        }
        #expect(points.increment() == 1, "no point ran before the error")
        #expect(!FileManager.default.fileExists(atPath: scenario.output + "/points.jsonl"))
    }

    @Test func aChatBatchSizeFromTheCommandLineIsRefusedBeforeAnyPoint() async throws {
        let scenario = try TestScenario(Self.yaml(target: "mock", sweep: "{ max_workers: [1, 2] }"))
        defer { scenario.cleanup() }
        var options = scenario.sweepOptions()
        options.batchSizes = [1, 5]
        do {
            _ = try await SweepRunner.run(options)
            Issue.record("a chat sweep with batch size 5 ran")
        } catch {
            #expect(error.description.contains("prompt arrays"), "\(error)")
        }
    }
}

/// Review follow-ups: a sweep goes on after a point stopped early, and remote tiers keep the scenario's headers.
@Suite struct SweepPointIsolationTests {
    @Test func aHopelessPointDoesNotStopThePointsAfterIt() async throws {
        let scenario = try TestScenario(SweepTargetTests.yaml(
            target: "mock",
            sweep: """
                { max_workers: [1], tier: [{ label: dead, base_url: "http://127.0.0.1:\(closedLoopbackPort())/v1" }, \
                unlimited] }
                """).replacingOccurrences(of: "requests: 4", with: "requests: 30"))
        defer { scenario.cleanup() }
        let outcome = try await SweepRunner.run(scenario.sweepOptions())
        let byTier = Dictionary(grouping: outcome.result.points, by: { $0.settings.tier.label })
        let dead = try #require(byTier["dead"]?.first)
        let alive = try #require(byTier["unlimited"]?.first)
        #expect(dead.result.figures.successfulRequestsPerSecond == 0)
        #expect(alive.result.figures.successfulRequestsPerSecond > 0, "the point after the dead tier still ran")
        #expect(!outcome.interrupted)
    }

    @Test func remoteTiersKeepTheScenariosHeaders() throws {
        let scenario = try TestScenario("""
            version: 1
            target: { base_url: "http://127.0.0.1:9/v1", headers: { OpenAI-Organization: org-1 } }
            prompts: { inline: ["x"] }
            load: { max_workers: 1, requests: 1 }
            sweep: { max_workers: [1], tier: [{ label: other, base_url: "http://127.0.0.1:10/v1" }] }
            """)
        defer { scenario.cleanup() }
        var loaded = try ScenarioFile.load(path: scenario.path)
        let tier = try #require(loaded.scenario.sweep?.tiers.first)
        loaded.apply(SweepPoint.Settings(tier: tier, model: "m", batchSize: 1, maxWorkers: 1))
        guard case .remote(let remote) = loaded.scenario.target else {
            Issue.record("not remote")
            return
        }
        #expect(remote.baseURL == "http://127.0.0.1:10/v1")
        #expect(remote.headers == [HTTPHeader(name: "OpenAI-Organization", value: "org-1")])
        #expect(RemoteTarget.redactedURL("https://user:secret@host:1/v1?x=@") == "https://[REDACTED]@host:1/v1?x=@")
        #expect(RemoteTarget.redactedURL("https://host/v1") == "https://host/v1")
    }
}
