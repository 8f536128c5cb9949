import Foundation
import Testing

@testable import TierbenchCore

/// Every number a scenario holds has a documented range: hostile values are errors naming the key, never traps,
/// hangs or gigabytes of prompt text (issue 11, items 14–16).
@Suite struct ScenarioLimitsTests {
    typealias S = ScenarioTestSupport

    /// (scenario text, the key path the error must name). Each of these trapped, hung or ran away before.
    static let hostile: [(String, String)] = [
        (S.minimal(load: "load: { requests: 9223372036854775807 }"), "load.requests"),
        (S.minimal("request: { messages: [{ role: user, content: \"{prompt}\" }], max_tokens: 9223372036854775807 }"),
         "request.max_tokens"),
        (S.minimal("request: { messages: [{ role: user, content: \"{prompt}\" }], max_tokens: -9223372036854775807 }"),
         "request.max_tokens"),
        (S.minimal("request: { messages: [{ role: user, content: \"{prompt}\" }], max_tokens: 1e300 }"),
         "request.max_tokens"),
        (S.minimal("throttle: { rpm: 1e-320 }"), "throttle.rpm"),
        (S.minimal("throttle: { tpm: 1e300 }"), "throttle.tpm"),
        (S.minimal(load: "load: { rate: 1e-320, duration: 10s }"), "load.rate"),
        (S.minimal(load: "load: { rate: 10, arrival: gamma, burstiness: 1e-320, duration: 10s }"), "load.burstiness"),
        (S.minimal(load: "load: { stages: [{ duration: 10s, rate: 1e-320 }] }"), "load.stages[0].rate"),
        (S.minimal(load: "load: { duration: 9999999h }"), "load.duration"),
        (S.minimal("mock: { limits: { rpm: 9223372036854775807 } }"), "mock.limits.rpm"),
        (S.minimal("mock: { limits: { tpm: 9223372036854775807 } }"), "mock.limits.tpm"),
        (S.minimal("mock: { output_tokens: 9223372036854775807 }"), "mock.output_tokens"),
        (S.minimal("mock: { time_scale: 1e300 }"), "mock.time_scale"),
        (S.minimal("mock: { capacity: 9223372036854775807 }"), "mock.capacity"),
        (S.minimal("prompts: { synthetic: { count: 10, tokens: { mean: 100, stddev: 1e300 } } }"),
         "prompts.synthetic.tokens.stddev"),
        (S.minimal("prompts: { synthetic: { count: 10000000, tokens: { mean: 1000000 } } }"), "prompts.synthetic"),
        (S.minimal("endpoint: completions\nbatch_size: 1000001"), "batch_size"),
        (S.minimal("budget: { max_usd: 1e300 }"), "budget.max_usd"),
        (S.minimal("budget: { prompts_to_process: 9223372036854775807 }"), "budget.prompts_to_process"),
        (S.minimal("sweep: { rate: [1e-320] }"), "sweep.rate[0]"),
        (S.minimal("sweep: { batch_size: [1, 5000] }\nendpoint: completions"), "sweep.batch_size[1]"),
    ]

    @Test(arguments: 0..<hostile.count)
    func outOfRangeValuesAreErrorsNamingTheKey(index: Int) {
        let (text, keyPath) = Self.hostile[index]
        let errors = S.errors(text)
        #expect(!errors.isEmpty, "accepted: \(text)")
        if !keyPath.isEmpty {
            #expect(errors.contains { $0.keyPath == keyPath }, "\(errors)")
        }
    }

    /// 1,000 stages of 30 days sum to 30,000 days, within Int64 nanoseconds; 1,001 stages are refused as a whole.
    @Test func stageCountIsBounded() {
        let stages = Array(repeating: "{ duration: 1s, rate: 1 }", count: ScenarioLimits.maxStages + 1)
        let errors = S.errors(S.minimal(load: "load: { stages: [\(stages.joined(separator: ", "))] }"))
        #expect(errors.contains { $0.keyPath == "load.stages" && $0.message.contains("at most 1000") }, "\(errors)")
        let ok = Array(repeating: "{ duration: 720h, rate: 1 }", count: ScenarioLimits.maxStages)
        #expect(S.errors(S.minimal(load: "load: { stages: [\(ok.joined(separator: ", "))] }")).isEmpty)
    }

    /// The rule, not one value: the reader refuses anything past a key's maximum, and every maximum is finite.
    @Test func valuesAtTheLimitPassAndJustBeyondFail() {
        #expect(S.errors(S.minimal(load: "load: { requests: \(ScenarioLimits.maxRequests) }")).isEmpty)
        #expect(!S.errors(S.minimal(load: "load: { requests: \(ScenarioLimits.maxRequests + 1) }")).isEmpty)
        #expect(S.errors(S.minimal("endpoint: embeddings\nbatch_size: 2048")).isEmpty)
        #expect(!S.errors(S.minimal("endpoint: embeddings\nbatch_size: 2049")).isEmpty)
        #expect(S.errors(S.minimal(load: "load: { duration: 720h }")).isEmpty)
        #expect(!S.errors(S.minimal(load: "load: { duration: 721h }")).isEmpty)
    }

    /// A "billion laughs" in `request:` stops at the documented bound at once instead of expanding.
    @Test func aliasBombInTheRequestIsRefusedQuickly() {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...9 {
            let previous = "*a\(level - 1)"
            lines.append("a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]")
        }
        let bomb = "request:\n  messages: [{ role: user, content: \"{prompt}\" }]\n"
            + lines.map { "  " + $0 }.joined(separator: "\n")
        let start = ContinuousClock.now
        let errors = S.errors(S.minimal(bomb))
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(errors.contains { $0.message.contains("more than 100000 values") }, "\(errors)")
    }

    /// Synthetic prompts can never be longer than the cap, however wide the distribution.
    @Test func syntheticPromptLengthsAreClamped() {
        let prompts = SyntheticPromptGenerator.generate(
            SyntheticPrompts(count: 50, meanTokens: 10, stddevTokens: 1_000, seed: 7))
        let longest = prompts.map(\.utf8.count).max() ?? 0
        #expect(longest <= (10 + 6 * 1_000) * SyntheticPromptGenerator.charactersPerToken)
        #expect(prompts.allSatisfy { !$0.isEmpty })
    }

    @Test func traceTimestampsAreRangeChecked() {
        for bad in ["1e300", "-1e300", "1e12"] {
            #expect(throws: PromptLoadError.self) {
                try TraceParser.parse("{\"timestamp\": \(bad), \"prompt_tokens\": 10}\n", format: .jsonl, file: "t.jsonl")
            }
        }
        #expect(throws: PromptLoadError.self) {
            try TraceParser.parse(
                "{\"timestamp\": 0, \"prompt_tokens\": 10}\n{\"timestamp\": 3000000, \"prompt_tokens\": 10}\n",
                format: .jsonl, file: "t.jsonl")
        }
        #expect((try? TraceParser.parse(
            "{\"timestamp\": 1733400000.5, \"prompt_tokens\": 10}\n", format: .jsonl, file: "t.jsonl")) != nil)
    }

    /// Command-line overrides meet the file's rules and name the flag.
    @Test func overridesAreValidatedLikeTheFile() throws {
        let text = S.minimal(load: "load: { max_workers: 2, duration: 10s, warmup: 2s }")
        do {
            _ = try ScenarioLoader.parse(text: text, fileName: "t.yaml", overrides: ScenarioOverrides(duration: "1s"))
            Issue.record("a duration shorter than the warmup was accepted")
        } catch {
            #expect(error.errors.contains { $0.keyPath == "load.warmup" && $0.message.contains("--duration") },
                    "\(error)")
        }
        do {
            _ = try ScenarioLoader.parse(
                text: text, fileName: "t.yaml", overrides: ScenarioOverrides(requests: "9223372036854775807"))
            Issue.record("an out-of-range --requests was accepted")
        } catch {
            #expect(error.errors.contains { $0.keyPath == "load.requests" && $0.message.hasPrefix("--requests") },
                    "\(error)")
        }
        let scenario = try ScenarioLoader.parse(
            text: text, fileName: "t.yaml", overrides: ScenarioOverrides(maxWorkers: "7", duration: "5s"))
        #expect(scenario.load.maxWorkers == 7)
        #expect(scenario.load.duration == .seconds(5))
    }
}
