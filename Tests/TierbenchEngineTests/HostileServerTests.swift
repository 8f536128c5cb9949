import Foundation
import Testing
import TierbenchCore
import TierbenchCurl
import TierbenchEngine

/// tierbench against servers that misbehave on purpose (`HostileServer`). Each test runs a short bounded run
/// (duration 1.5 s, 2 workers, request and connect timeouts 1 s) and checks that the run ends on time, resident memory
/// stays bounded, the failure lands in its own error class, the summary's totals equal the request log's lines, and
/// nothing crashed (a crash would end the test process).
@Suite("Hostile servers", .serialized)
struct HostileServerTests {
    /// What one hostile run produced.
    struct Outcome {
        var report: RunReport
        var log: [[String: Any]]
        var logText: String
        var summaryText: String
        var seconds: Double
        var summary: RunSummary { report.summary }
        /// The error classes of the request log's lines (nil for successes).
        var classes: Set<String?> { Set(log.map { $0["error"] as? String }) }
    }

    static let durationSeconds = 1.5
    static let timeoutSeconds = 1.0
    /// Time a run may take beyond its duration and one request timeout: thread start-up, result files, a loaded CI box.
    static let slackSeconds = 2.5

    /// Runs a scenario against `mode` and checks the invariants every hostile run must keep.
    static func run(
        _ mode: HostileServer.Mode, stream: Bool = false, extra: String = "", apiKeyEnv: String? = nil,
        live: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Outcome {
        let server = try HostileServer(mode)
        defer { server.stop() }
        let target = apiKeyEnv.map { "{ base_url: \"http://127.0.0.1:\(server.port)/v1\", api_key_env: \($0) }" }
            ?? "{ base_url: \"http://127.0.0.1:\(server.port)/v1\" }"
        let scenario = try TestScenario("""
            version: 1
            name: hostile
            target: \(target)
            prompts: { inline: ["hello"] }
            stream: \(stream)
            load: { max_workers: 2, duration: 1500ms }
            timeouts: { connect: 1s, request: 1s }
            \(extra)
            """)
        defer { scenario.cleanup() }
        let rssBefore = residentMegabytes()
        let started = Date()
        var options = scenario.options()
        if live { options.onSample = { _ in } }  // live progress on: the sampler differences cumulative counters
        let report = try await Runner.run(options)
        let seconds = Date().timeIntervalSince(started)
        let rssAfter = residentMegabytes()
        let logText = try scenario.read("requests.jsonl")
        let summaryText = try scenario.read("summary.json")
        let log = try scenario.requestLog()
        let outcome = Outcome(report: report, log: log, logText: logText, summaryText: summaryText, seconds: seconds)

        let limit = durationSeconds + timeoutSeconds + slackSeconds
        #expect(seconds <= limit, "the run took \(seconds) s (limit \(limit) s)", sourceLocation: sourceLocation)
        if let rssBefore, let rssAfter {
            #expect(rssAfter - rssBefore < 200, "resident memory grew \(rssBefore) → \(rssAfter) MB",
                    sourceLocation: sourceLocation)
        }
        let summary = report.summary
        #expect(summary.requests.total + summary.requests.warmupExcluded == log.count,
                "summary total \(summary.requests.total) vs \(log.count) log lines", sourceLocation: sourceLocation)
        #expect(summary.requests.succeeded + summary.requests.failed == summary.requests.total,
                sourceLocation: sourceLocation)
        #expect(summary.errors.values.reduce(0, +) == summary.requests.failed, sourceLocation: sourceLocation)
        #expect(summary.requests.total > 0, "no request finished", sourceLocation: sourceLocation)
        return outcome
    }

    /// Expects every request of `outcome` to have failed with `label`.
    static func expectAll(_ outcome: Outcome, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.summary.requests.succeeded == 0, "\(outcome.summary.errors)", sourceLocation: sourceLocation)
        let first = outcome.log.first.map { "\($0)" } ?? "none"
        #expect(Array(outcome.summary.errors.keys) == [label], "\(outcome.summary.errors); first line: \(first)",
                sourceLocation: sourceLocation)
        #expect(outcome.classes == [label], sourceLocation: sourceLocation)
    }

    /// VmRSS of this process in MiB, from /proc/self/status; nil where there is none.
    static func residentMegabytes() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let digits = line.split(separator: " ").dropFirst().first.flatMap { Double($0) }
            return digits.map { $0 / 1024 }
        }
        return nil
    }

    static let chatBody = FixedDelayServer.body

    /// A chat completion whose usage has `prompt_tokens` written as `value`.
    static func usageBody(promptTokens value: String) -> [UInt8] {
        Array(#"{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":\#(value),"completion_tokens":1,"total_tokens":8}}"#.utf8)
    }

    static func sse(_ text: String) -> [UInt8] { Array(text.utf8) }

    static let contentChunk = #"{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"hi"}}]}"#
    static let usageChunk = #"{"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"#

    // MARK: - Transport-level misbehaviour

    @Test("garbage bytes instead of HTTP: protocol_error")
    func garbage() async throws {
        Self.expectAll(try await Self.run(.garbage), "protocol_error")
    }

    @Test("Content-Length larger than what is sent, then close: connection_reset")
    func truncatedBody() async throws {
        Self.expectAll(try await Self.run(.truncatedBody), "connection_reset")
    }

    @Test("an endless chunked body: timeout, memory bounded")
    func endlessChunked() async throws {
        Self.expectAll(try await Self.run(.endlessChunked), "timeout")
    }

    @Test("a 64 MiB body: bad_response (no usage in the kept first MiB), memory bounded")
    func hugeBody() async throws {
        let outcome = try await Self.run(.hugeBody)
        // Over loopback 64 MiB arrive well within the timeout; under load some may time out instead.
        #expect(outcome.summary.requests.succeeded == 0)
        #expect(outcome.classes.isSubset(of: ["bad_response", "timeout"]), "\(outcome.summary.errors)")
        #expect((outcome.summary.errors["bad_response"] ?? 0) > 0, "\(outcome.summary.errors)")
    }

    @Test("gzip bomb: tierbench does not ask for gzip and does not decode it; bad_response, memory bounded",
          .enabled(if: HostileServer.gzipBomb(megabytes: 1) != nil, "needs /bin/sh, head and gzip"))
    func gzipBomb() async throws {
        let bomb = try #require(HostileServer.gzipBomb(megabytes: 64))
        let outcome = try await Self.run(.gzipBomb(bomb))
        Self.expectAll(outcome, "bad_response")
        // The compressed bytes, not 64 MiB, arrived per request: nothing was inflated.
        let received = outcome.summary.bytes.received
        #expect(received <= outcome.summary.requests.total * bomb.count, "received \(received) bytes")
    }

    @Test("2 MiB of response headers: protocol_error")
    func hugeHeaders() async throws {
        Self.expectAll(try await Self.run(.hugeHeaders), "protocol_error")
    }

    @Test("headers one byte per 100 ms: timeout")
    func slowHeaders() async throws {
        Self.expectAll(try await Self.run(.slowHeaders), "timeout")
    }

    @Test("accept, read, then silence: timeout")
    func silence() async throws {
        Self.expectAll(try await Self.run(.silence), "timeout")
    }

    @Test("reset in the middle of the body (SO_LINGER 0): connection_reset")
    func resetMidBody() async throws {
        Self.expectAll(try await Self.run(.resetMidBody), "connection_reset")
    }

    @Test("close without a byte: connection_reset")
    func emptyReply() async throws {
        Self.expectAll(try await Self.run(.emptyReply), "connection_reset")
    }

    @Test("non-UTF-8 bytes: an error body is http_4xx with a valid request log; in a 200 with usage, a success")
    func nonUTF8() async throws {
        let body = Array(#"{"error":{"message":"bad "#.utf8) + [0xFF, 0xFE, 0xC3, 0x28] + Array(#" bytes"}}"#.utf8)
        let outcome = try await Self.run(.fixed(status: 400, headers: [], body: body))
        Self.expectAll(outcome, "http_4xx")
        #expect(String(validating: Array(outcome.logText.utf8), as: UTF8.self) != nil)
        // Non-UTF-8 content in a 200 with a valid usage is still a success: only the usage is read.
        let content = Array(#"{"choices":[{"message":{"content":"ok "#.utf8) + [0xFF, 0xC0, 0x80]
            + Array(#""}}],"usage":{"prompt_tokens":7,"completion_tokens":1,"total_tokens":8}}"#.utf8)
        let success = try await Self.run(.fixed(status: 200, headers: [], body: content))
        #expect(success.summary.requests.failed == 0, "\(success.summary.errors)")
        #expect(success.summary.tokens.total == 8 * success.summary.requests.succeeded)
    }

    @Test("the linked libcurl resolves names asynchronously (AsynchDNS): a lookup cannot hold the load thread")
    func asynchronousDNS() {
        // The connect timeout (CURLOPT_CONNECTTIMEOUT_MS) covers resolution; with the threaded resolver an unanswered
        // lookup is abandoned when it ends instead of blocking curl_multi_perform for the system resolver's timeout.
        #expect(Curl.hasAsynchronousDNS, "\(Curl.version)")
    }

    // MARK: - Redirects (issue item 8)

    @Test("a 307 whose body carries usage is a failure (http_3xx), and its usage is not counted")
    func redirectWithUsage() async throws {
        let outcome = try await Self.run(.redirectToSelf(body: Array(Self.chatBody.utf8)))
        Self.expectAll(outcome, "http_3xx")
        #expect(outcome.summary.tokens.total == 0)
        #expect(outcome.summary.statusCounts.keys.sorted() == ["307"])
    }

    @Test("a redirect loop with follow_redirects: 3 stops after 3 redirects: http_3xx")
    func redirectLoopFollowed() async throws {
        let outcome = try await Self.run(.redirectToSelf(body: []), extra: "http: { follow_redirects: 3 }")
        Self.expectAll(outcome, "http_3xx")
        let message = outcome.log.first?["message"] as? String ?? ""
        #expect(message.contains("redirect"), "\(message)")
    }

    @Test("with follow_redirects: 1 a 307 to a 200 is followed and succeeds; without, http_3xx")
    func redirectFollowedOnce() async throws {
        let followed = try await Self.run(.redirectOnce(body: Array(Self.chatBody.utf8)), extra: "http: { follow_redirects: 1 }")
        #expect(followed.summary.requests.failed == 0, "\(followed.summary.errors)")
        #expect(followed.summary.statusCounts.keys.sorted() == ["200"])
        #expect(followed.summary.tokens.total == 8 * followed.summary.requests.succeeded)
        let refused = try await Self.run(.redirectOnce(body: Array(Self.chatBody.utf8)))
        Self.expectAll(refused, "http_3xx")
    }

    // MARK: - Usage figures (issue item 9)

    @Test("hostile usage figures are invalid_usage and never summed", arguments: ["-1", "1e300", "9223372036854775807", "1.5"])
    func hostileUsage(value: String) async throws {
        let outcome = try await Self.run(.fixed(status: 200, headers: [], body: Self.usageBody(promptTokens: value)))
        Self.expectAll(outcome, "invalid_usage")
        #expect(outcome.summary.tokens.prompt == 0)
        #expect(outcome.summary.tokens.total == 0)
        #expect(outcome.summary.tokens.responsesWithUsage == 0)
        #expect((outcome.summary.cost?.usd ?? 0) >= 0)
        #expect((outcome.log.first?["message"] as? String ?? "").contains("prompt_tokens"))
    }

    @Test("usage of Int.max tokens with live progress on: invalid_usage, and the live sampler does not trap")
    func intMaxUsageWithLiveProgress() async throws {
        let body = Array(#"{"id":"x","object":"chat.completion","choices":[],"usage":{"prompt_tokens":9223372036854775807,"completion_tokens":9223372036854775807,"total_tokens":9223372036854775807}}"#.utf8)
        let outcome = try await Self.run(.fixed(status: 200, headers: [], body: body), live: true)
        Self.expectAll(outcome, "invalid_usage")
        #expect(outcome.summary.tokens.total == 0)
    }

    // MARK: - Retry-after (issue items 14 and 15)

    @Test("absurd retry-after values with retries on: no trap, the run still ends on time",
          arguments: ["999999999", "Fri, 31 Dec 9999 23:59:59 GMT", "-5", "1e300", "nan"])
    func absurdRetryAfter(value: String) async throws {
        let body = Array(#"{"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"}}"#.utf8)
        let outcome = try await Self.run(
            .fixed(status: 429, headers: ["Retry-After: \(value)"], body: body),
            extra: "retry: { max_attempts: 3, base: 100ms, cap: 200ms }")
        Self.expectAll(outcome, "http_429")
    }

    @Test("a retry held by the client throttle past the run's end is not made: the 5xx is final, the run ends on time")
    func throttleWaitCutByRunEnd() async throws {
        // rpm 2 with a minute's burst: the bucket holds 2 requests and refills one per 30 s. Both workers' first requests pass and get a
        // 503; their retries (due within 100 ms) meet an empty bucket whose wait (~30 s) outlasts the 1.5 s run.
        let body = Array(#"{"error":{"message":"overloaded","type":"server_error"}}"#.utf8)
        let outcome = try await Self.run(
            .fixed(status: 503, headers: [], body: body),
            extra: "retry: { max_attempts: 3, base: 100ms, cap: 100ms }\nthrottle: { rpm: 2, burst: 60s }")
        Self.expectAll(outcome, "http_5xx")
        #expect(outcome.summary.requests.total == 2)
        for line in outcome.log { #expect(line["attempts"] == nil, "\(line)") }
    }

    // MARK: - Streams

    @Test("a stream without [DONE]: bad_response")
    func streamWithoutDone() async throws {
        let pieces = [Self.sse("data: \(Self.contentChunk)\n\n"), Self.sse("data: \(Self.usageChunk)\n\n")]
        let outcome = try await Self.run(.stream(pieces: pieces, pause: 0, close: true), stream: true)
        Self.expectAll(outcome, "bad_response")
    }

    @Test("a stream in tiny writes with CR LF line ends and comments parses: every request succeeds")
    func streamInTinyWrites() async throws {
        let text = ": keep-alive comment\r\n\r\ndata: \(Self.contentChunk)\r\n\r\n: another\r\n"
            + "data: \(Self.usageChunk)\r\n\r\ndata: [DONE]\r\n\r\n"
        let bytes = Array(text.utf8)
        let pieces = Swift.stride(from: 0, to: bytes.count, by: 3).map { Array(bytes[$0..<min($0 + 3, bytes.count)]) }
        let outcome = try await Self.run(.stream(pieces: pieces, pause: 0.0005, close: true), stream: true)
        #expect(outcome.summary.requests.failed == 0, "\(outcome.summary.errors)")
        #expect(outcome.summary.requests.succeeded > 0)
        #expect(outcome.summary.tokens.total == 7 * outcome.summary.requests.succeeded)
        // A stream whose body ends right after [DONE] keeps its connection: one per worker, not one per request.
        #expect(outcome.summary.timingsMs.newConnections <= 2, "\(outcome.summary.timingsMs.newConnections) connections")
    }

    @Test("a stream event that is not JSON: bad_response")
    func streamInvalidJSON() async throws {
        let pieces = [Self.sse("data: {\"choices\":[{\"delta\":{\"content\":\"hi\"\n\n"), Self.sse("data: [DONE]\n\n")]
        let outcome = try await Self.run(.stream(pieces: pieces, pause: 0, close: true), stream: true)
        Self.expectAll(outcome, "bad_response")
    }

    @Test("a stream with an out-of-range usage: invalid_usage")
    func streamInvalidUsage() async throws {
        let usage = #"{"choices":[],"usage":{"prompt_tokens":-1,"completion_tokens":2,"total_tokens":1}}"#
        let pieces = [Self.sse("data: \(Self.contentChunk)\n\ndata: \(usage)\n\ndata: [DONE]\n\n")]
        let outcome = try await Self.run(.stream(pieces: pieces, pause: 0, close: true), stream: true)
        Self.expectAll(outcome, "invalid_usage")
        #expect(outcome.summary.tokens.total == 0)
    }

    @Test("a streamed request answered with a JSON error: the message and code come from the body")
    func streamAnsweredWithJSONError() async throws {
        let body = Array(#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","#.utf8)
            + Array(#""code":"insufficient_quota"}}"#.utf8)
        let outcome = try await Self.run(.fixed(status: 429, headers: [], body: body), stream: true)
        Self.expectAll(outcome, "http_429")
        for line in outcome.log {
            #expect(line["message"] as? String == "You exceeded your current quota", "\(line)")
        }
    }

    @Test("data: [DONE] without closing the body is a success right after [DONE], not a timeout")
    func doneWithoutClose() async throws {
        let pieces = [Self.sse("data: \(Self.contentChunk)\n\ndata: \(Self.usageChunk)\n\ndata: [DONE]\n\n")]
        let outcome = try await Self.run(.stream(pieces: pieces, pause: 0, close: false), stream: true)
        #expect(outcome.summary.requests.failed == 0, "\(outcome.summary.errors)")
        // Without ending on [DONE] each request would wait for the 1 s timeout: at most 2 workers × 1.5 s.
        #expect(outcome.summary.requests.succeeded > 10, "\(outcome.summary.requests.succeeded) succeeded")
        #expect(outcome.summary.latencyMs.max < 900, "max latency \(outcome.summary.latencyMs.max) ms")
    }

    // MARK: - Secrets (issue item 18)

    @Test("a 401 echoing the Authorization header: http_4xx, and the key is in no output file")
    func echoedKeyIsRedacted() async throws {
        let variable = "TIERBENCH_HOSTILE_KEY_\(UInt32.random(in: 0...UInt32.max))"
        let key = "tb-hostile-\(UUID().uuidString)"
        setenv(variable, key, 1)
        defer { unsetenv(variable) }
        let outcome = try await Self.run(.echoAuthorization, apiKeyEnv: variable)
        Self.expectAll(outcome, "http_4xx")
        #expect(!outcome.logText.contains(key))
        #expect(!outcome.summaryText.contains(key))
        #expect(outcome.logText.contains("[REDACTED]"))
    }

    @Test("the CLI run against a 401 echoing the key: the key is on neither stdout/stderr nor in any result file",
          .enabled(if: CLI.binary != nil))
    func echoedKeyNotPrinted() async throws {
        let server = try HostileServer(.echoAuthorization)
        defer { server.stop() }
        let variable = "TIERBENCH_HOSTILE_KEY_\(UInt32.random(in: 0...UInt32.max))"
        let key = "tb-hostile-\(UUID().uuidString)"
        setenv(variable, key, 1)
        defer { unsetenv(variable) }
        let scenario = try TestScenario("""
            version: 1
            name: hostile-cli
            target: { base_url: "http://127.0.0.1:\(server.port)/v1", api_key_env: \(variable) }
            prompts: { inline: ["hello"] }
            load: { max_workers: 2, requests: 20 }
            timeouts: { connect: 1s, request: 1s }
            """)
        defer { scenario.cleanup() }
        let result = try CLI.run(["run", scenario.path, "--output", scenario.output, "--format", "junit,markdown,html,csv"])
        #expect(!result.output.contains(key), "\(result.output)")
        #expect(result.output.contains("http_4xx") || result.output.contains("401"), "\(result.output)")
        let files = try FileManager.default.contentsOfDirectory(atPath: scenario.output)
        #expect(files.contains("requests.jsonl"))
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: scenario.output + "/" + file))
            #expect(!String(decoding: data, as: UTF8.self).contains(key), "\(file) holds the key")
        }
        #expect(try scenario.read("requests.jsonl").contains("[REDACTED]"))
    }
}
