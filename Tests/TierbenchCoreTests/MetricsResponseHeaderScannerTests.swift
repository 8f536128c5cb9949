import Testing
@testable import TierbenchCore

struct MetricsResponseHeaderScannerTests {
    static func scan(_ lines: [String]) -> RateLimitHeaders {
        var headers = RateLimitHeaders()
        for line in lines { ResponseHeaderScanner.scan(Array(line.utf8), into: &headers) }
        return headers
    }

    @Test func realCaptureOfAPaidOrganisation() {
        let headers = Self.scan([
            "HTTP/1.1 200 OK\r\n",
            "x-ratelimit-limit-requests: 500\r\n",
            "x-ratelimit-limit-tokens: 300000\r\n",
            "x-ratelimit-remaining-requests: 499\r\n",
            "x-ratelimit-remaining-tokens: 295432\r\n",
            "x-ratelimit-reset-requests: 120ms\r\n",
            "x-ratelimit-reset-tokens: 913ms\r\n",
        ])
        #expect(headers.limitRequests == 500)
        #expect(headers.limitTokens == 300_000)
        #expect(headers.remainingRequests == 499)
        #expect(headers.remainingTokens == 295_432)
        #expect(headers.resetRequestsNanos == 120_000_000)
        #expect(headers.resetTokensNanos == 913_000_000)
    }

    @Test(arguments: [
        ("0s", UInt64(0)), ("0", 0), ("2ms", 2_000_000), ("913ms", 913_000_000), ("1s", 1_000_000_000),
        ("1.146s", 1_146_000_000), ("6m0s", 360_000_000_000), ("7m12s", 432_000_000_000),
        ("19m45.394s", 1_185_394_000_000), ("1h4m48s", 3_888_000_000_000), ("1.5µs", 1_500), ("250us", 250_000),
        ("42ns", 42),
    ])
    func goDurations(text: String, nanoseconds: UInt64) {
        #expect(GoDuration.parse(text) == nanoseconds)
    }

    @Test(arguments: ["", "s", "12", "1x", "1m-3s", "ms", "1.2.3s"])
    func invalidGoDurations(text: String) {
        #expect(GoDuration.parse(text) == nil)
    }

    @Test func retryAfterSecondsAndMilliseconds() {
        let headers = Self.scan(["Retry-After: 56\r\n", "retry-after-ms: 120.5\r\n"])
        #expect(headers.retryAfterSeconds == 56)
        #expect(headers.retryAfterMilliseconds == 120.5)
        // retry-after-ms wins, as in the SDKs.
        #expect(headers.retryDelayNanos(nowUnixSeconds: 0) == 120_500_000)
        #expect(Self.scan(["retry-after: 56"]).retryDelayNanos(nowUnixSeconds: 0) == 56_000_000_000)
    }

    @Test func retryAfterHTTPDate() {
        let headers = Self.scan(["Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n"])
        #expect(headers.retryAfterDate == 1_445_412_480)
        #expect(headers.retryAfterSeconds == nil)
        #expect(headers.retryDelayNanos(nowUnixSeconds: 1_445_412_470) == 10_000_000_000)
        #expect(headers.retryDelayNanos(nowUnixSeconds: 1_445_412_490) == 0)
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Thu, 29 Feb 2024 23:59:59 GMT") == 1_709_251_199)
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 UTC") == nil)
        #expect(HTTPDate.parse("tomorrow") == nil)
    }

    /// Found by the FuzzHeaders fuzzer (Tests/Fuzz/corpus/FuzzHeaders/retry-after-future-date): a `retry-after`
    /// date more than 584 years ahead overflowed UInt64 when turned into ns and trapped the load thread. The wait
    /// now saturates, and any server delay is clamped to one day before the policy's `max_server_delay` applies.
    @Test func retryAfterFarFutureDateSaturates() {
        let headers = Self.scan(["Retry-After: Fri, 31 Dec 9999 23:59:59 GMT\r\n"])
        #expect(headers.retryAfterDate == 253_402_300_799)
        #expect(headers.retryDelayNanos(nowUnixSeconds: 1_764_892_800) == 86_400_000_000_000)
        #expect(headers.retryDelayNanos(nowUnixSeconds: .min) == 86_400_000_000_000)
        #expect(headers.retryDelayNanos(nowUnixSeconds: .max) == 0)
        let policy = RetryPolicy(maxAttempts: 2)
        let serverDelay = policy.serverDelay(from: headers, nowUnixSeconds: 1_764_892_800)
        var random = SplitMix64(seed: 1)
        #expect(policy.delay(beforeRetry: 1, serverDelay: serverDelay, random: &random) == 60_000_000_000)
    }

    @Test func namesAreCaseInsensitiveAndValuesTrimmed() {
        let headers = Self.scan([
            "X-RateLimit-Reset-Tokens:\t 6m0s \r\n", "X-RATELIMIT-LIMIT-REQUESTS:60", "x-should-retry: false\r\n",
            "x-ratelimit-remaining-project-tokens: 1000\r\n", "x-ratelimit-reset-project-tokens: 3s\r\n",
        ])
        #expect(headers.resetTokensNanos == 360_000_000_000)
        #expect(headers.limitRequests == 60)
        #expect(headers.shouldRetry == false)
        #expect(headers.remainingProjectTokens == 1_000)
        #expect(headers.resetProjectTokensNanos == 3_000_000_000)
    }

    @Test func unknownAndMalformedLines() {
        var headers = RateLimitHeaders()
        #expect(!ResponseHeaderScanner.scan(Array("content-type: application/json\r\n".utf8), into: &headers))
        #expect(!ResponseHeaderScanner.scan(Array("\r\n".utf8), into: &headers))
        #expect(!ResponseHeaderScanner.scan(Array("HTTP/2 429\r\n".utf8), into: &headers))
        #expect(ResponseHeaderScanner.scan(Array("x-ratelimit-limit-tokens: lots\r\n".utf8), into: &headers))
        #expect(headers.isEmpty)
    }
}
