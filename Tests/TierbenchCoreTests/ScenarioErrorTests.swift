import Testing

@testable import TierbenchCore

@Suite struct ScenarioErrorTests {
    /// One expected problem: key path, a fragment of the message and a fragment of the hint.
    struct Case: Sendable, CustomTestStringConvertible {
        var yaml: String
        var keyPath: String
        var message: String
        var hint: String = ""
        var testDescription: String { keyPath + ": " + message }
    }

    static let cases: [Case] = [
        // Unknown keys with a did-you-mean, at several depths.
        Case(yaml: ScenarioTestSupport.minimal("endpont: chat"), keyPath: "endpont", message: "unknown key",
             hint: "did you mean 'endpoint'?"),
        Case(yaml: "version: 1\nload: { max_worker: 3, requests: 5 }", keyPath: "load.max_worker", message: "unknown key",
             hint: "did you mean 'max_workers'?"),
        Case(yaml: "version: 1\nload: { maxWorkers: 3, requests: 5 }", keyPath: "load.maxWorkers", message: "unknown key",
             hint: "did you mean 'max_workers'?"),
        Case(yaml: ScenarioTestSupport.minimal("mock: { faults: { reset_rat: 0.1 } }"), keyPath: "mock.faults.reset_rat",
             message: "unknown key", hint: "did you mean 'reset_rate'?"),
        Case(yaml: ScenarioTestSupport.minimal("prompts: { synthetic: { count: 3, tokens: { mean: 5, stdev: 1 } } }"),
             keyPath: "prompts.synthetic.tokens.stdev", message: "unknown key", hint: "did you mean 'stddev'?"),
        Case(yaml: ScenarioTestSupport.minimal("timeouts: { zzz: 1s }"), keyPath: "timeouts.zzz", message: "unknown key",
             hint: "allowed: connect, request"),
        Case(yaml: ScenarioTestSupport.minimal("budget: { max_usd: 0 }"), keyPath: "budget.max_usd",
             message: "expected a number > 0"),
        Case(yaml: ScenarioTestSupport.minimal("budget: { max_uds: 5 }"), keyPath: "budget.max_uds",
             message: "unknown key", hint: "did you mean 'max_usd'?"),
        // Wrong types and ranges.
        Case(yaml: "version: 1\nload: { max_workers: ten, requests: 5 }", keyPath: "load.max_workers",
             message: "expected an integer between 1 and 100000, got 'ten'"),
        Case(yaml: "version: 1\nload: { max_workers: 0, requests: 5 }", keyPath: "load.max_workers",
             message: "expected an integer between 1 and 100000, got 0"),
        Case(yaml: "version: 1\nload: { max_workers: 2.5, requests: 5 }", keyPath: "load.max_workers",
             message: "got 2.5"),
        Case(yaml: "version: 1\nload: { max_workers: \"4\", requests: 5 }", keyPath: "load.max_workers",
             message: "got the quoted string '4'", hint: "remove the quotes"),
        Case(yaml: "version: 1\nload: [1, 2]", keyPath: "load", message: "expected a mapping"),
        Case(yaml: ScenarioTestSupport.minimal("endpoint: chats"), keyPath: "endpoint",
             message: "expected one of chat, completions, embeddings", hint: "did you mean 'chat'?"),
        Case(yaml: ScenarioTestSupport.minimal("stream: \"true\""), keyPath: "stream", message: "quoted string"),
        Case(yaml: ScenarioTestSupport.minimal("mock: { faults: { hang_rate: 1.5 } }"), keyPath: "mock.faults.hang_rate",
             message: "expected a number between 0 and 1, got 1.5"),
        Case(yaml: ScenarioTestSupport.minimal("mock: { faults: { status_rates: { 200: 0.1 } } }"),
             keyPath: "mock.faults.status_rates.200", message: "between 400 and 599"),
        Case(yaml: ScenarioTestSupport.minimal("mock: { latency: { base: { dist: constant, mean: 5ms, stddev: 1ms } } }"),
             keyPath: "mock.latency.base.stddev", message: "constant distribution has no spread"),
        Case(yaml: ScenarioTestSupport.minimal("mock: { faults: { schedule: [{ start: 1s, duration: 1s }] } }"),
             keyPath: "mock.faults.schedule[0]", message: "needs status: 503 or freeze: true"),
        Case(yaml: ScenarioTestSupport.minimal("http: { version: 3 }"), keyPath: "http.version",
             message: "expected \"1.1\" or \"2\""),
        Case(yaml: "version: 2\nload: { requests: 1 }", keyPath: "version", message: "unsupported scenario version 2"),
        Case(yaml: "load: { requests: 1 }", keyPath: "version", message: "missing required key",
             hint: "add 'version: 1'"),
        Case(yaml: ScenarioTestSupport.minimal("name: \"a/b\""), keyPath: "name", message: "cannot name a results directory"),
        // Stop condition and durations.
        Case(yaml: "version: 1\nload: { max_workers: 3 }", keyPath: "load", message: "no stop condition",
             hint: "add duration: 20s and/or requests"),
        Case(yaml: "version: 1\n", keyPath: "load", message: "missing required key"),
        Case(yaml: "version: 1\nload: { duration: 20 }", keyPath: "load.duration",
             message: "a duration needs a unit, got the bare number 20", hint: "write e.g. '20s'"),
        Case(yaml: "version: 1\nload: { duration: \"20\" }", keyPath: "load.duration",
             message: "a duration needs a unit", hint: "'20s'"),
        Case(yaml: "version: 1\nload: { duration: 1:30 }", keyPath: "load.duration", message: "base-60",
             hint: "1m30s"),
        Case(yaml: "version: 1\nload: { duration: soon }", keyPath: "load.duration", message: "'soon' is not a duration"),
        Case(yaml: "version: 1\nload: { duration: 0s }", keyPath: "load.duration", message: "expected a duration > 0"),
        Case(yaml: "version: 1\nload: { duration: 5s, warmup: 5s }", keyPath: "load.warmup",
             message: "not shorter than duration"),
        Case(yaml: ScenarioTestSupport.minimal("timeouts: { request: 30 }"), keyPath: "timeouts.request",
             message: "bare number 30"),
        // YAML 1.1 surprises.
        Case(yaml: ScenarioTestSupport.minimal("stream: yes"), keyPath: "stream", message: "'yes' is not a boolean here",
             hint: "write true or false"),
        Case(yaml: ScenarioTestSupport.minimal("mock: { strict: off }"), keyPath: "mock.strict", message: "'off'",
             hint: "write true or false"),
        Case(yaml: ScenarioTestSupport.minimal("model: no"), keyPath: "model", message: "plain 'no' is ambiguous",
             hint: "quote it"),
        Case(yaml: ScenarioTestSupport.minimal("prompts: { inline: [hello, y] }"), keyPath: "prompts.inline[1]",
             message: "plain 'y' is ambiguous"),
        Case(yaml: "version: 1\nload: { max_workers: 010, requests: 5 }", keyPath: "load.max_workers",
             message: "leading zero", hint: "without the leading zero"),
        Case(yaml: "version: 1\nload: { requests: 1:30 }", keyPath: "load.requests", message: "base-60 number"),
        Case(yaml: "version: 1\nload: { requests: 0x10 }", keyPath: "load.requests", message: "not a plain decimal"),
        Case(yaml: "version: 1\nload: { requests: 1_000 }", keyPath: "load.requests", message: "digit separators"),
        Case(yaml: ScenarioTestSupport.minimal("request:\n  messages: [{ role: user, content: \"{prompt}\" }]\n  logprobs: yes"),
             keyPath: "request.logprobs", message: "plain 'yes' is ambiguous", hint: "quote it"),
        Case(yaml: ScenarioTestSupport.minimal("request:\n  messages: [{ role: user, content: \"{prompt}\" }]\n  seed: 007"),
             keyPath: "request.seed", message: "leading zero"),
        Case(yaml: ScenarioTestSupport.minimal("request:\n  messages: [{ role: user, content: \"{prompt}\" }]\n  at: 1:30"),
             keyPath: "request.at", message: "base-60"),
        Case(yaml: ScenarioTestSupport.minimal("request:\n  messages: [{ role: user, content: \"{prompt}\" }]\n  t: .inf"),
             keyPath: "request.t", message: "not a finite number"),
        // Cross-key rules.
        Case(yaml: ScenarioTestSupport.minimal("batch_size: 4"), keyPath: "batch_size",
             message: "batch_size 4 needs an endpoint that takes prompt arrays", hint: "endpoint: completions"),
        Case(yaml: ScenarioTestSupport.minimal("endpoint: embeddings\nstream: true"), keyPath: "stream",
             message: "embeddings cannot be streamed"),
        Case(yaml: ScenarioTestSupport.minimal("target: { base_url: https://api.openai.com/v1 }\nmock: { latency: 5ms }"),
             keyPath: "mock", message: "only apply to target: mock", hint: "set target: mock"),
        Case(yaml: ScenarioTestSupport.minimal("target: https://api.openai.com/v1"), keyPath: "target",
             message: "expected 'mock' or a mapping", hint: "base_url: https://api.openai.com/v1"),
        Case(yaml: ScenarioTestSupport.minimal("target: { base_url: ftp://x.example/v1 }"), keyPath: "target.base_url",
             message: "not an http(s) URL"),
        Case(yaml: ScenarioTestSupport.minimal("target: { base_url: https://x.example/v1/chat/completions }"),
             keyPath: "target.base_url", message: "already ends in the endpoint path"),
        Case(yaml: ScenarioTestSupport.minimal("target: { api_key_env: KEY }"), keyPath: "target.base_url",
             message: "missing required key"),
        Case(yaml: ScenarioTestSupport.minimal("target: { base_url: https://x.example/v1, api_key_env: sk-abc123 }"),
             keyPath: "target.api_key_env", message: "looks like a key"),
        Case(yaml: ScenarioTestSupport.minimal("target: { base_url: https://x.example/v1, headers: { Authorization: x } }"),
             keyPath: "target.headers.Authorization", message: "comes from api_key_env"),
        Case(yaml: ScenarioTestSupport.minimal("prompts: { inline: [a], file: b.txt }"), keyPath: "prompts.file",
             message: "only one prompt source"),
        Case(yaml: ScenarioTestSupport.minimal("prompts: {}"), keyPath: "prompts", message: "no prompt source"),
        Case(yaml: ScenarioTestSupport.minimal("prompts: { inline: [] }"), keyPath: "prompts.inline", message: "empty"),
        Case(yaml: ScenarioTestSupport.minimal("request: { messages: [{ role: user, content: hi }] }"), keyPath: "request",
             message: "never uses {prompt}"),
        Case(yaml: ScenarioTestSupport.minimal("request: { model: x, messages: [{ role: user, content: \"{prompt}\" }] }"),
             keyPath: "request.model", message: "top-level 'model:'"),
        Case(yaml: ScenarioTestSupport.minimal("request: { stream: true, messages: [{ role: user, content: \"{prompt}\" }] }"),
             keyPath: "request.stream", message: "top-level 'stream:'"),
        Case(yaml: ScenarioTestSupport.minimal("endpoint: embeddings\nrequest: { input: [a, b] }"), keyPath: "request.input",
             message: "must be a string containing {prompt}"),
        Case(yaml: ScenarioTestSupport.minimal("endpoint: completions\nrequest: { suffix: \"{prompt}\" }"),
             keyPath: "request.suffix", message: "{prompt} can only appear in request.prompt"),
        // Whole-file problems.
        Case(yaml: "", keyPath: "", message: "the file is empty"),
        Case(yaml: "version: 1\nload: { requests: 1 }\nload: { requests: 2 }\n", keyPath: "", message: "duplicate key 'load'"),
        Case(yaml: "version: 1\nload: { requests: 1\n", keyPath: "", message: "invalid YAML"),
        Case(yaml: "- version: 1\n", keyPath: "", message: "expected a mapping"),
    ]

    @Test(arguments: cases)
    func eachProblemIsReportedWithItsKeyPathAndFix(_ testCase: Case) throws {
        let errors = ScenarioTestSupport.errors(testCase.yaml)
        let match = errors.first { $0.keyPath == testCase.keyPath && $0.message.contains(testCase.message) }
        let found = try #require(match, "got:\n\(errors.map(\.description).joined(separator: "\n"))")
        #expect(testCase.hint.isEmpty || found.hint.contains(testCase.hint), "hint was: \(found.hint)")
        #expect(found.file == "test.yaml")
    }

    @Test func errorsCarryLineAndColumnAndRenderOnePerLine() throws {
        let text = """
            version: 1
            name: quickstart
            load:
              max_worker: 10
              duration: 20
            stream: yes

            """
        let errors = ScenarioTestSupport.errors(text, file: "quickstart.yaml")
        #expect(errors.count == 3)
        let rendered = ScenarioErrors(errors).description.split(separator: "\n").map(String.init)
        #expect(rendered == [
            "quickstart.yaml:4:3: load.max_worker: unknown key; did you mean 'max_workers'?",
            "quickstart.yaml:5:13: load.duration: a duration needs a unit, got the bare number 20; "
                + "write e.g. '20s' or '20ms' (units: ns, us, ms, s, m, h)",
            "quickstart.yaml:6:9: stream: 'yes' is not a boolean here (YAML 1.1 would read it as one); write true or false",
        ])
    }

    @Test func allProblemsAreCollectedNotJustTheFirst() {
        let text = """
            version: 1
            endpoint: chatt
            batch_size: -1
            load: { max_workers: 0, duration: 3, warmup: later }
            timeouts: { connect: 5 }
            mock: { seed: yes, colour: red }
            """
        let errors = ScenarioTestSupport.errors(text)
        #expect(Set(errors.map(\.keyPath)) == [
            "endpoint", "batch_size", "load.max_workers", "load.duration", "load.warmup", "timeouts.connect", "mock.seed",
            "mock.colour",
        ])
        #expect(errors.map(\.line) == errors.map(\.line).sorted())
    }

    @Test func missingKeysPointAtTheirSection() throws {
        let text = "version: 1\nname: x\nload:\n  max_workers: 2\n"
        let error = try #require(ScenarioTestSupport.errors(text).first)
        #expect(error.keyPath == "load")
        #expect(error.line == 3)
        #expect(error.column == 1)
    }

    @Test func yamlSyntaxErrorsAreLocated() throws {
        let text = "version: 1\nload:\n  requests: 1\n\tmax_workers: 2\n"
        let error = try #require(ScenarioTestSupport.errors(text).first)
        #expect(error.line == 4)
        #expect(error.message.hasPrefix("invalid YAML"))
    }
}
