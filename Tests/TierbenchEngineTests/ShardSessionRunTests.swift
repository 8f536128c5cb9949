import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// Sessions runs split by session over shards, end to end (docs/sessions.md "Sharded runs").
@Suite("Sharded sessions", .serialized)
struct ShardSessionRunTests {
    static func lines(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
    }

    static func shard(_ index: Int, of count: Int) throws -> ShardAssignment {
        ShardAssignment(slice: try ShardSlice(index: index, count: count), source: "flag")
    }

    @Test("2 shards of 4 users against the mock: users and turns split, session ids disjoint, counts add up")
    func twoShardsAgainstTheMock() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: session-shards
            sessions: { turns: { mean: 2 }, user_tokens: { mean: 12, stddev: 3 } }
            load: { users: 4, requests: 16 }
            mock: { latency: 2ms, output_tokens: 3 }
            timeouts: { request: 5s }
            """)
        defer { scenario.cleanup() }
        var ids: Set<String> = []
        var sessionsInAll = 0
        for index in 0..<2 {
            var options = scenario.options()
            options.outputDirectory = scenario.directory + "/shard\(index)"
            options.shard = try Self.shard(index, of: 2)
            let report = try await Runner.run(options)
            // Each shard runs 2 of the 4 users and 8 of the 16 turns.
            #expect(report.summary.shard?.totalWorkers == 4 && report.summary.shard?.workers == 2)
            #expect(report.summary.shard?.totalRequests == 16 && report.summary.shard?.requests == 8)
            #expect(report.summary.requests.succeeded == 8)
            let sessions = try Self.lines(report.directory + "/sessions.jsonl")
            let summary = try #require(report.summary.sessions)
            #expect(summary.started == sessions.count)
            // Shard I's sessions are the global numbers I + k·2 (+ 1 in the id), k = 0, 1, …, each once.
            let numbers = sessions.compactMap { ($0["session_id"] as? String).flatMap { Int($0.dropFirst(2)) } }
            #expect(numbers.sorted() == (0..<sessions.count).map { index + 2 * $0 + 1 })
            for session in sessions {
                let id = try #require(session["session_id"] as? String)
                #expect(ids.insert(id).inserted, "\(id) on both shards")
            }
            // Every turn is in one session: the sessions' turns add up to the shard's 8 requests, and the request
            // log names only this shard's sessions.
            #expect(sessions.compactMap { $0["turns_done"] as? Int }.reduce(0, +) == 8)
            let log = try Self.lines(report.directory + "/requests.jsonl")
            #expect(log.count == 8)
            let logged = Set(log.compactMap { $0["session_id"] as? String })
            #expect(logged == Set(sessions.compactMap { $0["session_id"] as? String }))
            // Turn request numbers are striped too, so the shards' request logs concatenate without repeats.
            #expect(log.compactMap { $0["i"] as? Int }.allSatisfy { $0 % 2 == index })
            sessionsInAll += sessions.count
        }
        #expect(ids.count == sessionsInAll)
        #expect(sessionsInAll >= 8)  // 16 turns of at most 2 per session
    }

    @Test("a shard's session carries the unsharded run's first turn for the same session id")
    func sameFirstTurnAsUnsharded() async throws {
        let server = try SessionCaptureServer()
        defer { server.stop() }
        let scenario = try TestScenario("""
            version: 1
            name: session-content
            target: { base_url: "http://127.0.0.1:\(server.port)/v1" }
            sessions: { turns: { mean: 3 }, user_tokens: { mean: 15, stddev: 6 }, header: X-Session-ID }
            load: { users: 3, requests: 12 }
            timeouts: { request: 5s }
            """)
        defer { scenario.cleanup() }
        func firstTurns(from start: Int) -> [String: String] {
            var first: [String: String] = [:]
            for exchange in server.exchanges.dropFirst(start) {
                let messages = exchange.body["messages"] as? [[String: Any]] ?? []
                guard messages.count == 1, let id = exchange.headers["x-session-id"] else { continue }
                first[id] = messages[0]["content"] as? String
            }
            return first
        }
        _ = try await Runner.run(scenario.options())
        let unsharded = firstTurns(from: 0)
        var compared = 0
        for index in 0..<3 {
            let before = server.exchanges.count
            var options = scenario.options()
            options.outputDirectory = scenario.directory + "/shard\(index)"
            options.shard = try Self.shard(index, of: 3)
            _ = try await Runner.run(options)
            for (id, content) in firstTurns(from: before) {
                let number = try #require(Int(id.dropFirst(2)))
                #expect((number - 1) % 3 == index, "\(id) on shard \(index)")
                guard let same = unsharded[id] else { continue }
                #expect(content == same, "\(id)")
                compared += 1
            }
        }
        // The unsharded run's sessions s-000001 … s-000003 start at once; every shard starts its own first one.
        #expect(compared >= 3)
    }

    @Test("open-loop session arrivals over 2 shards with --start-at: shard I starts arrivals g ≡ I (mod 2) at their own times")
    func openLoopArrivalsStriped() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: session-arrivals
            sessions: { turns: { mean: 1 }, user_tokens: { mean: 8 }, seed: 4 }
            load: { rate: 25, arrival: poisson, duration: 1s, max_in_flight: 8 }
            mock: { latency: 1ms, output_tokens: 2 }
            timeouts: { request: 5s }
            """)
        defer { scenario.cleanup() }
        // The global schedule every shard draws: sessions.seed + 1, the scenario's rate and process.
        var schedule = ArrivalSchedule(profile: RateProfile(startRate: 25, stages: []), process: .poisson, seed: 5)
        var arrivals: [UInt64] = []
        while let time = schedule.next(), time < 1_000_000_000 { arrivals.append(time) }
        #expect(arrivals.count > 10)
        let start = ShardStartTime(unixNanos: Int64(Date().timeIntervalSince1970 * 1e9) + 700_000_000)
        func run(_ index: Int) async throws -> RunReport {
            var options = scenario.options()
            options.outputDirectory = scenario.directory + "/shard\(index)"
            options.shard = try Self.shard(index, of: 2)
            options.startAt = start
            options.startTolerance = TimeSpan(nanoseconds: 60_000_000_000)
            return try await Runner.run(options)
        }
        // Both shards wait for the same start, together.
        async let first = run(0)
        async let second = run(1)
        let reports = try await [first, second]
        var seen: [Int: Double] = [:]
        for (index, report) in reports.enumerated() {
            #expect(report.summary.shard?.originUnixNs == start.unixNanos)
            for session in try Self.lines(report.directory + "/sessions.jsonl") {
                let id = try #require(session["session_id"] as? String)
                let number = try #require(Int(id.dropFirst(2)))
                #expect((number - 1) % 2 == index, "\(id) on shard \(index)")
                #expect(seen.updateValue(session["start_ms"] as? Double ?? -1, forKey: number - 1) == nil)
            }
        }
        // The union: every arrival of the global schedule once, as session g, started at its own time.
        #expect(seen.keys.sorted() == Array(arrivals.indices))
        for (global, time) in arrivals.enumerated() {
            let startMs = seen[global] ?? -1
            #expect(abs(startMs - Double(time) / 1e6) < 0.002, "session \(global + 1) started at \(startMs) ms")
        }
    }

    @Test("too few users for the shards is refused on every shard, naming load.users")
    func tooFewUsers() throws {
        let scenario = try TestScenario("""
            version: 1
            name: few-users
            sessions: { turns: { mean: 2 } }
            load: { users: 2, duration: 1s }
            """)
        defer { scenario.cleanup() }
        let loaded = try ScenarioFile.load(path: scenario.path)
        let plan = try LoadPlanBuilder.build(loaded: loaded, baseURL: "http://127.0.0.1:9/v1")
        for index in 0..<3 {
            let slice = try ShardSlice(index: index, count: 3)
            do throws(EngineError) {
                _ = try plan.sharded(slice, path: scenario.path)
                Issue.record("3 shards of 2 users were accepted")
            } catch {
                #expect(error.description.contains("load.users"))
                #expect(error.description.contains("only 2 users"))
            }
        }
        let part = try plan.sharded(try ShardSlice(index: 1, count: 2), path: scenario.path)
        #expect(part.slotCount == 1)
        guard case .users(let users) = part.sessions?.arrivals else {
            Issue.record("a sharded users plan lost its users")
            return
        }
        #expect(users == 1)
    }
}
