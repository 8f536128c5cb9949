import Foundation
import Testing

@testable import TierbenchCore

/// Numbers and text from a hostile server, checked where they enter the core: usage figures, retry delays, statuses,
/// stream events, echoed secrets. None may trap, wrap or be counted.
struct HostileFiguresTests {
    static func read(_ text: String) -> UsageScanner.Reading { UsageScanner.read(Array(text.utf8)) }

    static func usage(prompt: String) -> String {
        #"{"choices":[],"usage":{"prompt_tokens":\#(prompt),"completion_tokens":1,"total_tokens":8}}"#
    }

    @Test("usage figures out of range are invalid, never read as another number",
          arguments: ["-1", "1e300", "9223372036854775807", "1.5", "1000000001", "99999999999999999999999", "1E3", "-0"])
    func outOfRangeUsage(value: String) {
        guard case .invalid(let message) = Self.read(Self.usage(prompt: value)) else {
            Issue.record("\(value) was accepted: \(Self.read(Self.usage(prompt: value)))")
            return
        }
        #expect(message.contains("prompt_tokens"))
        #expect(UsageScanner.scan(Array(Self.usage(prompt: value).utf8)) == nil)
    }

    @Test("in-range usage figures are read exactly, 12.0 as 12 and 10^9 as the maximum")
    func inRangeUsage() {
        #expect(Self.read(Self.usage(prompt: "12")) == .valid(TokenUsage(prompt: 12, completion: 1, total: 8)))
        #expect(Self.read(Self.usage(prompt: "12.0")) == .valid(TokenUsage(prompt: 12, completion: 1, total: 8)))
        #expect(Self.read(Self.usage(prompt: "0")) == .valid(TokenUsage(prompt: 0, completion: 1, total: 8)))
        #expect(Self.read(Self.usage(prompt: "1000000000"))
                    == .valid(TokenUsage(prompt: 1_000_000_000, completion: 1, total: 8)))
        #expect(Self.read(#"{"usage":null}"#) == .absent)
        #expect(Self.read(#"{"usage":{"prompt_tokens":null,"completion_tokens":3}}"#)
                    == .valid(TokenUsage(prompt: 0, completion: 3)))
        let cached = #"{"usage":{"prompt_tokens":5,"prompt_tokens_details":{"cached_tokens":-4}}}"#
        #expect(Self.read(cached) != .valid(TokenUsage(prompt: 5, cachedPrompt: -4)))
    }

    @Test("usage sums saturate instead of wrapping; a total defaulted from huge parts does not trap")
    func saturatingUsage() {
        let sum = TokenUsage(prompt: .max, completion: 1, total: .max) + TokenUsage(prompt: 1, completion: 1, total: 1)
        #expect(sum.prompt == .max)
        #expect(sum.total == .max)
        #expect(TokenUsage(prompt: .max, completion: .max).total == .max)
        var recorder = MetricsRecorder()
        for index in 0..<3 {
            recorder.record(RequestOutcome(
                index: index, intendedStart: 0, actualStart: 0, end: 10, status: 200,
                usage: TokenUsage(prompt: .max, completion: .max, total: .max)))
        }
        #expect(recorder.usage.total == .max)
        #expect(recorder.usage.prompt >= 0)
    }

    @Test("the live sampler never traps on wrapped or shrinking token sums")
    func liveSamplerToleratesHugeUsage() {
        var sampler = LiveSampler(durationNanos: 2_000_000_000, requestLimit: nil, warmupNanos: 0)
        var first = LiveCounters()
        first.usage = TokenUsage(prompt: 0, completion: 0, total: .max)
        _ = sampler.sample(first, elapsedNanos: 250_000_000)
        var second = LiveCounters()
        second.usage = TokenUsage(prompt: 0, completion: 0, total: .min + 7)  // what a wrapping sum would leave
        let sample = sampler.sample(second, elapsedNanos: 500_000_000)
        #expect(sample.tokensPerSecond >= 0)
        #expect(sample.tokensPerSecond.isFinite)
    }

    @Test("retry-after far in the future or absurd: clamped to a day, never a trap",
          arguments: ["Fri, 31 Dec 9999 23:59:59 GMT", "999999999", "1e300", "-5", "nan", "99999999999999999999999999"])
    func absurdRetryAfter(value: String) {
        var headers = RateLimitHeaders()
        ResponseHeaderScanner.scan(Array("Retry-After: \(value)\r\n".utf8), into: &headers)
        let delay = headers.retryDelayNanos(nowUnixSeconds: 1_764_900_000)
        if let delay { #expect(delay <= UInt64(RateLimitHeaders.maximumDelaySeconds * 1e9)) }
        var milliseconds = RateLimitHeaders()
        ResponseHeaderScanner.scan(Array("retry-after-ms: \(value)\r\n".utf8), into: &milliseconds)
        if let delay = milliseconds.retryDelayNanos(nowUnixSeconds: 0) {
            #expect(delay <= UInt64(RateLimitHeaders.maximumDelaySeconds * 1e9))
        }
    }

    @Test("a date in year 9999 waits one day; the policy then clips it to max_server_delay")
    func farDate() {
        var headers = RateLimitHeaders()
        headers.retryAfterDate = HTTPDate.parse("Fri, 31 Dec 9999 23:59:59 GMT")
        #expect(headers.retryDelayNanos(nowUnixSeconds: 1_764_900_000) == 86_400 * 1_000_000_000)
        var random = SplitMix64(seed: 1)
        let policy = RetryPolicy(maxAttempts: 3)
        let delay = policy.delay(
            beforeRetry: 1, serverDelay: policy.serverDelay(from: headers, nowUnixSeconds: 1_764_900_000),
            random: &random)
        #expect(delay == 60_000_000_000)
    }

    @Test("only 2xx succeeds: 3xx is http_3xx, statuses outside 100…599 are protocol errors")
    func statuses() {
        #expect(ErrorClass.forStatus(200) == nil)
        #expect(ErrorClass.forStatus(204) == nil)
        #expect(ErrorClass.forStatus(307) == .redirect)
        #expect(ErrorClass.forStatus(301) == .redirect)
        #expect(ErrorClass.forStatus(101) == .protocolError)
        #expect(ErrorClass.forStatus(999) == .protocolError)
        #expect(ErrorClass.forStatus(429) == .rateLimited)
        #expect(ErrorClass.redirect.rawValue == "http_3xx")
        var counts = ErrorClassCounts()
        for errorClass in ErrorClass.allCases { counts.add(errorClass) }
        #expect(counts.byLabel.count == ErrorClass.allCases.count)
        #expect(counts.byLabel.values.allSatisfy { $0 == 1 })
    }

    @Test("stream events that are not JSON objects are counted; well-formed ones are not")
    func malformedStreamEvents() {
        var parser = SSEParser()
        let text = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n" + "data: {not json\n\n"
            + "data: plain text\n\n" + "data: {\"a\":\"unterminated}\n\n" + "data: [DONE]\n\n"
        Array(text.utf8).withUnsafeBytes { _ = parser.feed($0) }
        #expect(parser.malformedEvents == 3)
        #expect(parser.done)
        var clean = SSEParser()
        let good = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}\n\n"
        Array(good.utf8).withUnsafeBytes { _ = clean.feed($0) }
        #expect(clean.malformedEvents == 0)
        #expect(clean.usage == TokenUsage(prompt: 1, completion: 2, total: 3))
    }

    @Test("a stream's out-of-range usage is kept out of `usage` and reported")
    func streamInvalidUsage() {
        var parser = SSEParser()
        let text = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":-1,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n"
        Array(text.utf8).withUnsafeBytes { _ = parser.feed($0) }
        #expect(parser.usage == nil)
        #expect(parser.invalidUsage?.contains("prompt_tokens") == true)
    }

    @Test("secrets are redacted from server text, with and without their auth scheme")
    func redaction() {
        let headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("Authorization", "Bearer sk-secret-123"), ("api-key", "azure-456"),
        ]
        let redactor = SecretRedactor(secrets: SecretRedactor.secrets(ofHeaders: headers))
        #expect(redactor.redact("bad key: Bearer sk-secret-123") == "bad key: [REDACTED]")
        #expect(redactor.redact("key sk-secret-123 and sk-secret-123") == "key [REDACTED] and [REDACTED]")
        #expect(redactor.redact("azure-456 refused") == "[REDACTED] refused")
        #expect(redactor.redact("application/json stays") == "application/json stays")
        #expect(SecretRedactor(secrets: ["abc"]).redact("abc") == "abc")  // too short to redact
        #expect(SecretRedactor.none.redact("anything") == "anything")
    }

    @Test("http.follow_redirects: 0…20, default 0")
    func followRedirectsKey() throws {
        let scenario = try ScenarioLoader.parse(
            text: ScenarioTestSupport.minimal("http: { follow_redirects: 3 }"), fileName: "test.yaml")
        #expect(scenario.http.followRedirects == 3)
        let plain = try ScenarioLoader.parse(text: ScenarioTestSupport.minimal(), fileName: "test.yaml")
        #expect(plain.http.followRedirects == 0)
        let errors = ScenarioTestSupport.errors(ScenarioTestSupport.minimal("http: { follow_redirects: 21 }"))
        #expect(errors.count == 1)
        #expect(errors.first.map { "\($0)" }?.contains("follow_redirects") == true)
        #expect(!ScenarioTestSupport.errors(ScenarioTestSupport.minimal("http: { follow_redirects: -1 }")).isEmpty)
    }
}
