import Testing

@testable import TierbenchCore

@Suite struct SessionScenarioTests {
    static let full = """
        version: 1
        stream: true
        sessions:
          source: synthetic
          turns: { dist: lognormal, mean: 4, stddev: 2, max: 20 }
          user_tokens: { mean: 60, stddev: 20 }
          think_time: { dist: lognormal, mean: 5s, stddev: 2s }
          history: live
          on_error: abort_session
          header: X-Session-ID
          slo: { ttft: 2s, latency: 30s }
        load: { users: 50, duration: 5m }
        """

    @Test("the issue's sessions: section reads into SessionSettings, and load.users is the closed loop")
    func readsTheIssueExample() throws {
        let scenario = try ScenarioLoader.parse(text: Self.full, fileName: "s.yaml")
        let sessions = try #require(scenario.sessions)
        #expect(sessions.source == .synthetic)
        #expect(sessions.turns == SessionDistribution(kind: .lognormal, mean: 4, stddev: 2, max: 20))
        #expect(sessions.userTokens.mean == 60 && sessions.userTokens.stddev == 20 && sessions.userTokens.kind == .normal)
        #expect(sessions.thinkTime == SessionDistribution(kind: .lognormal, mean: 5, stddev: 2))
        #expect(sessions.history == .live && sessions.onError == .abortSession && sessions.header == "X-Session-ID")
        #expect(sessions.slo == SessionSLO(ttft: .seconds(2), latency: .seconds(30)))
        #expect(scenario.load.users == 50 && scenario.load.maxWorkers == 50 && scenario.load.mode == .closedLoop)
        // The canonical form reads back to the same scenario.
        let again = try ScenarioLoader.parse(text: scenario.canonicalJSON.jsonText, fileName: "canonical.json")
        #expect(again == scenario)
        let file = try ScenarioLoader.parse(
            text: "version: 1\nsessions: { file: c.jsonl, history: recorded, on_error: skip_turn }\nload: { rate: 2, duration: 1m }",
            fileName: "f.yaml")
        #expect(file.sessions?.source == .file("c.jsonl") && file.sessions?.history == .recorded)
        #expect(try ScenarioLoader.parse(text: file.canonicalJSON.jsonText, fileName: "c.json") == file)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var yaml: String
        var line: Int
        var keyPath: String
        var message: String
        var hint = ""
        var testDescription: String { keyPath + ": " + message }
    }

    static let cases: [Case] = [
        Case(yaml: "version: 1\nsessions:\n  turns: { mean: 4, stdev: 2 }\nload: { users: 2, requests: 5 }", line: 3,
             keyPath: "sessions.turns.stdev", message: "unknown key", hint: "did you mean 'stddev'?"),
        Case(yaml: "version: 1\nsessions:\n  histroy: live\nload: { users: 2, requests: 5 }", line: 3,
             keyPath: "sessions.histroy", message: "unknown key", hint: "did you mean 'history'?"),
        Case(yaml: "version: 1\nsessions:\n  on_error: abort\nload: { users: 2, requests: 5 }", line: 3,
             keyPath: "sessions.on_error", message: "expected one of abort_session, retry, skip_turn"),
        Case(yaml: "version: 1\nsessions:\n  think_time: { mean: 5 }\nload: { users: 2, requests: 5 }", line: 3,
             keyPath: "sessions.think_time.mean", message: "a duration needs a unit"),
        Case(yaml: "version: 1\nsessions:\n  turns: { mean: 0 }\nload: { users: 2, requests: 5 }", line: 3,
             keyPath: "sessions.turns.mean", message: "expected a number"),
        Case(yaml: "version: 1\nload:\n  users: 3\n  duration: 5s", line: 3, keyPath: "load.users",
             message: "no sessions:", hint: "add a sessions: section"),
        Case(yaml: "version: 1\nsessions:\n  history: recorded\nload: { users: 2, requests: 5 }", line: 3,
             keyPath: "sessions.history", message: "the sessions are synthetic", hint: "add file:"),
        Case(yaml: "version: 1\nendpoint: completions\nbatch_size: 2\nsessions: {}\nload: { users: 2, requests: 5 }", line: 3,
             keyPath: "batch_size", message: "each turn of a session is one request"),
        Case(yaml: "version: 1\nendpoint: completions\nsessions: {}\nload: { users: 2, requests: 5 }", line: 3,
             keyPath: "sessions", message: "endpoint is completions"),
        Case(yaml: "version: 1\nsessions: {}\nload:\n  max_workers: 4\n  requests: 5", line: 4,
             keyPath: "load.max_workers", message: "a number of users", hint: "users: 4"),
        Case(yaml: "version: 1\nsessions: {}\nload:\n  users: 4\n  rate: 2\n  requests: 5", line: 4,
             keyPath: "load.users", message: "with rate each arrival starts a session"),
        Case(yaml: "version: 1\nsessions: {}\nprompts: { inline: [a] }\nload: { users: 2, requests: 5 }", line: 3,
             keyPath: "prompts", message: "does not apply with sessions"),
        Case(yaml: "version: 1\nsessions:\n  header: \"X Session\"\nload: { users: 2, requests: 5 }", line: 3,
             keyPath: "sessions.header", message: "not a valid HTTP header name"),
        Case(yaml: "version: 1\nsessions:\n  source: synthetic\n  file: c.jsonl\nload: { users: 2, requests: 5 }", line: 4,
             keyPath: "sessions.file", message: "does not apply to source: synthetic"),
        Case(yaml: "version: 1\nsessions:\n  turns: { mean: 4, max: 2 }\nload: { users: 2, requests: 5 }", line: 3,
             keyPath: "sessions.turns.max", message: "max is below mean"),
        Case(yaml: "version: 1\nrequest:\n  max_tokens: 10\n  n: 3\nsessions: {}\nload: { users: 2, requests: 5 }", line: 4,
             keyPath: "request.n", message: "one reply into its history", hint: "remove n"),
    ]

    @Test("each bad sessions key is reported with file:line, key path and a fix", arguments: cases)
    func badKeys(_ testCase: Case) throws {
        let errors = ScenarioTestSupport.errors(testCase.yaml, file: "bad.yaml")
        let match = errors.first { $0.keyPath == testCase.keyPath && $0.message.contains(testCase.message) }
        #expect(match != nil, "got \(errors.map(\.description))")
        #expect(match?.file == "bad.yaml")
        #expect(match?.line == testCase.line)
        if !testCase.hint.isEmpty { #expect(match?.hint.contains(testCase.hint) == true, "hint: \(match?.hint ?? "")") }
        #expect(match?.description.hasPrefix("bad.yaml:\(testCase.line):") == true)
    }
}

extension SessionScenarioTests {
    @Test("a written turns: without max has no hidden cap; the section's absence keeps the default max 20")
    func turnsCap() throws {
        let written = try ScenarioLoader.parse(
            text: "version: 1\nsessions: { turns: { dist: normal, mean: 50, stddev: 5 } }\nload: { users: 1, requests: 5 }",
            fileName: "t.yaml")
        #expect(written.sessions?.turns.max == nil)
        #expect(written.sessions?.turnCap == SessionSettings.maxTurns)
        let defaults = try ScenarioLoader.parse(text: "version: 1\nsessions: {}\nload: { users: 1, requests: 5 }", fileName: "d.yaml")
        #expect(defaults.sessions?.turnCap == 20)
        #expect(defaults.sessions == SessionSettings())
    }
}
