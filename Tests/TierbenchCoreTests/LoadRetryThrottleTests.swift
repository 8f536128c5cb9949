import Testing
import TierbenchCore

@Suite("Retry backoff and client-side throttle")
struct LoadRetryThrottleTests {
    @Test("full-jitter backoff stays within [0, min(cap, base·2^(k−1))]")
    func backoffBounds() {
        let policy = RetryPolicy(maxAttempts: 8, base: .milliseconds(100), cap: .seconds(1))
        var random = SplitMix64(seed: 3)
        for retry in 1...7 {
            let bound = min(1e9, 1e8 * Double(1 << (retry - 1)))
            #expect(policy.backoffBound(beforeRetry: retry) == bound)
            var largest: UInt64 = 0
            for _ in 0..<2000 {
                let delay = policy.delay(beforeRetry: retry, serverDelay: nil, random: &random)
                #expect(Double(delay) <= bound)
                largest = max(largest, delay)
            }
            #expect(Double(largest) > bound * 0.95, "the jitter should use its whole range")
        }
    }

    @Test("a server-given delay replaces the backoff and is capped")
    func serverDelay() {
        let policy = RetryPolicy(maxAttempts: 3, maxServerDelay: .seconds(2))
        var random = SplitMix64(seed: 1)
        #expect(policy.delay(beforeRetry: 1, serverDelay: 120_000_000, random: &random) == 120_000_000)
        #expect(policy.delay(beforeRetry: 1, serverDelay: 90_000_000_000, random: &random) == 2_000_000_000)
        var headers = RateLimitHeaders()
        headers.retryAfterMilliseconds = 250
        headers.retryAfterSeconds = 9
        #expect(policy.serverDelay(from: headers, nowUnixSeconds: 0) == 250_000_000)
        headers.retryAfterMilliseconds = nil
        #expect(policy.serverDelay(from: headers, nowUnixSeconds: 0) == 9_000_000_000)
    }

    @Test("which failures are retried")
    func retryable() {
        let policy = RetryPolicy(maxAttempts: 3)
        #expect(policy.shouldRetry(status: 429, errorClass: .rateLimited, errorCode: "rate_limit_exceeded"))
        #expect(!policy.shouldRetry(status: 429, errorClass: .rateLimited, errorCode: "insufficient_quota"))
        for status in [408, 409, 500, 502, 503, 504] {
            #expect(policy.shouldRetry(status: status, errorClass: ErrorClass.forStatus(status) ?? .other, errorCode: nil))
        }
        for status in [400, 401, 403, 404] {
            #expect(!policy.shouldRetry(status: status, errorClass: .http4xx, errorCode: nil))
        }
        #expect(policy.shouldRetry(status: 0, errorClass: .timeout, errorCode: nil))
        #expect(policy.shouldRetry(status: 0, errorClass: .connectionRefused, errorCode: nil))
        #expect(!policy.shouldRetry(status: 0, errorClass: .badResponse, errorCode: nil))
    }

    @Test("with burst: 60s the throttle admits a full minute's bucket, then exactly the refill rate")
    func throttleRate() {
        // 600 RPM = 10 requests/s; start full (600), then 10 per second.
        var throttle = ClientThrottle(requestsPerMinute: 600, tokensPerMinute: nil, burst: 60, now: 0)
        var admitted = 0
        for _ in 0..<1000 where throttle.admit(tokenCost: 0, now: 0) == 0 { admitted += 1 }
        #expect(admitted == 600)
        #expect(throttle.admit(tokenCost: 0, now: 0) == 100_000_000)
        var now: UInt64 = 0
        var later = 0
        while now < 10_000_000_000 {
            let wait = throttle.admit(tokenCost: 0, now: now)
            if wait == 0 { later += 1 } else { now += wait }
        }
        // Admissions at 0.1 s, 0.2 s, … 9.9 s: the one due at exactly 10 s is outside the half-open window.
        #expect(later == 99)
    }

    /// Issue 11 item 5: `rpm: 450` used to send 450 requests in the first 100 ms. By default the throttle paces from
    /// the first request: one at once, then one every 60/450 s, in every window of the run.
    @Test("by default the throttle paces from the first request, with no burst at the start")
    func throttlePacesFromTheStart() {
        var throttle = ClientThrottle(requestsPerMinute: 450, tokensPerMinute: nil, now: 0)
        var sends: [UInt64] = []
        var now: UInt64 = 0
        while now < 10_000_000_000 {
            let wait = throttle.admit(tokenCost: 0, now: now)
            if wait == 0 { sends.append(now) } else { now += wait }
        }
        let gap = UInt64((60e9 / 450).rounded(.up))
        #expect(sends.first == 0)
        #expect(sends.filter { $0 < 100_000_000 }.count == 1)
        #expect(sends.count == 75)  // 10 s × 7.5/s, at 0, 0.133, … 9.867 s
        for (a, b) in zip(sends, sends.dropFirst()) { #expect(b - a >= gap - 1 && b - a <= gap + 1) }
        // A burst of 10 s allows 75 at once, then the same pace.
        var bursty = ClientThrottle(requestsPerMinute: 450, tokensPerMinute: nil, burst: 10, now: 0)
        var atOnce = 0
        while bursty.admit(tokenCost: 0, now: 0) == 0 { atOnce += 1 }
        #expect(atOnce == 75)
    }

    @Test("the token budget limits by n × max_tokens and follows the server's remaining count")
    func throttleTokens() {
        var throttle = ClientThrottle(
            requestsPerMinute: nil, tokensPerMinute: 1000, burst: 60, followServer: true, now: 0)
        #expect(throttle.admit(tokenCost: 600, now: 0) == 0)
        // 400 left; 600 more needs 200 tokens = 12 s at 1000/min.
        #expect(throttle.admit(tokenCost: 600, now: 0) == 12_000_000_000)
        var headers = RateLimitHeaders()
        headers.remainingTokens = 100
        throttle.observe(headers, now: 0)
        #expect(throttle.admit(tokenCost: 100, now: 0) == 0)
        #expect(throttle.admit(tokenCost: 1, now: 0) == 60_000_000)
    }

    @Test("a paced token budget charges each request in full: the long-run rate is the limit")
    func pacedTokens() {
        var throttle = ClientThrottle(requestsPerMinute: nil, tokensPerMinute: 6000, now: 0)
        #expect(throttle.admit(tokenCost: 600, now: 0) == 0)
        // 600 tokens of debt at 100 tokens/s: 6 s before the next.
        #expect(throttle.admit(tokenCost: 600, now: 0) == 6_000_000_000)
        #expect(throttle.admit(tokenCost: 600, now: 6_000_000_000) == 0)
        // Hostile costs never trap: a negative cost is free, a huge one waits a bounded time.
        #expect(throttle.admit(tokenCost: -5, now: 12_000_000_000) == 0)
        #expect(throttle.admit(tokenCost: 1e300, now: 12_000_000_000) == 0)
        #expect(throttle.admit(tokenCost: 1, now: 12_000_000_000) <= 1_000_000_000_000_000_000)
    }
}
