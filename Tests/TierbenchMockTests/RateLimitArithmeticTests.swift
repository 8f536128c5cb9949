import TierbenchCore
import Testing

@testable import TierbenchMock

extension MockTests {
    /// The bucket model reproduces the real captures of reference §3.3.
    @Suite struct RateLimitArithmeticTests {
        @Test(arguments: [
            (0.0, "0s"), (0.0024, "2ms"), (0.0026, "2ms"), (0.09, "90ms"), (0.12, "120ms"), (0.9136, "913ms"), (1, "1s"),
            (1.146, "1.146s"), (1.12, "1.12s"), (20, "20s"), (43.2, "43.2s"), (360, "6m0s"), (432, "7m12s"),
            (1185.394, "19m45.394s"), (1728, "28m48s"), (3888, "1h4m48s"), (3600, "1h0m0s"),
        ])
        func goDurationFormatting(seconds: Double, expected: String) {
            #expect(GoDuration.format(seconds: seconds) == expected)
        }

        @Test func oneRequestAt500RPM() {
            var bucket = RateBucket(limit: 500, window: 60)
            bucket.consume(1)
            #expect(bucket.remaining == 499)
            #expect(GoDuration.format(seconds: bucket.secondsUntilFull) == "120ms")
        }

        @Test func tokens300000With295432Left() {
            var bucket = RateBucket(limit: 300_000, window: 60)
            bucket.consume(300_000 - 295_432)
            #expect(bucket.remaining == 295_432)
            #expect(GoDuration.format(seconds: bucket.secondsUntilFull) == "913ms")
        }

        @Test(arguments: [
            // (limit, window, remaining, reset): the captures' header pairs.
            (200, 86_400.0, 199, "7m12s"), (40_000, 60.0, 39_940, "90ms"), (150_000, 60.0, 149_994, "2ms"),
            (3_000, 60.0, 2_999, "20ms"), (250_000, 60.0, 249_989, "2ms"),
        ])
        func capturedHeaders(limit: Int, window: Double, remaining: Int, reset: String) {
            var bucket = RateBucket(limit: limit, window: window)
            bucket.consume(limit - remaining)
            #expect(bucket.remaining == remaining)
            #expect(GoDuration.format(seconds: bucket.secondsUntilFull) == reset)
        }

        @Test(arguments: [
            // (limit, window, used, requested, "try again in"): the captures' 429 messages.
            (50_000, 60.0, 47_949, 3_006, "1.146s"), (200_000, 60.0, 195_869, 4_412, "84ms"), (50, 86_400.0, 50, 1, "28m48s"),
            (2_000, 86_400.0, 2_000, 1, "43.2s"), (3, 60.0, 3, 1, "20s"),
        ])
        func capturedRetryWaits(limit: Int, window: Double, used: Int, requested: Int, wait: String) {
            var bucket = RateBucket(limit: limit, window: window)
            bucket.consume(used)
            #expect(!bucket.admits(requested))
            #expect(GoDuration.format(seconds: bucket.secondsUntilAdmits(requested)) == wait)
        }

        @Test func groupReportsHeadersAndDenials() {
            let group = RateBucketGroup(limits: RateLimits(rpm: 500, tpm: 300_000), timeScale: 1, now: 0)
            let (headers, denial) = group.admit(tokens: 4_568, now: 0)
            #expect(denial == nil)
            #expect(headers.remainingRequests == 499)
            #expect(headers.remainingTokens == 295_432)
            #expect(GoDuration.format(seconds: headers.resetRequests ?? -1) == "120ms")
            #expect(GoDuration.format(seconds: headers.resetTokens ?? -1) == "913ms")
            let (_, tooLarge) = group.admit(tokens: 300_001, now: 0)
            #expect(tooLarge?.tooLarge == true)
            #expect(tooLarge?.dimension == .tpm)
        }

        @Test func dailyBucketIsReportedForRequests() {
            let group = RateBucketGroup(limits: RateLimits(rpm: 3, rpd: 200, tpm: 40_000), timeScale: 1, now: 0)
            let (headers, _) = group.admit(tokens: 60, now: 0)
            #expect(headers.limitRequests == 200)
            #expect(headers.remainingRequests == 199)
            #expect(GoDuration.format(seconds: headers.resetRequests ?? -1) == "7m12s")
            #expect(GoDuration.format(seconds: headers.resetTokens ?? -1) == "90ms")
        }

        /// On a virtual clock, arrivals at twice the RPM are admitted at exactly the limit's rate (plus the initial
        /// burst of a full bucket), time-scaled or not.
        @Test(arguments: [1.0, 60.0, 600.0])
        func twiceTheLimitIsAdmittedAtTheLimit(timeScale: Double) {
            let rpm = 500
            let group = RateBucketGroup(limits: RateLimits(rpm: rpm), timeScale: timeScale, now: 0)
            let windowNanoseconds = 60e9 / timeScale
            let windows = 5.0
            let arrivals = Int(Double(2 * rpm) * windows)
            var accepted = 0
            for index in 0..<arrivals {
                let now = UInt64(Double(index) * windowNanoseconds / Double(2 * rpm))
                if group.admit(tokens: 1, now: now).1 == nil { accepted += 1 }
            }
            let expected = Double(rpm) * (1 + windows)
            #expect(abs(Double(accepted) - expected) <= 0.02 * expected, "accepted \(accepted), expected \(expected)")
        }

        @Test func refusedRequestsAreNotCharged() {
            let group = RateBucketGroup(limits: RateLimits(rpm: 2), timeScale: 1, now: 0)
            #expect(group.admit(tokens: 0, now: 0).1 == nil)
            #expect(group.admit(tokens: 0, now: 0).1 == nil)
            let (headers, denial) = group.admit(tokens: 0, now: 0)
            #expect(denial?.dimension == .rpm)
            #expect(denial?.used == 2)
            #expect(headers.remainingRequests == 0)
            #expect(GoDuration.format(seconds: denial?.waitSeconds ?? -1) == "30s")
        }

        @Test func presetsResolveFromTheDataFile() throws {
            let catalog = try TierCatalog.load(path: nil)
            var settings = MockSettings()
            settings.tier = "tier1"
            #expect(catalog.limits(for: "gpt-4o-mini", settings: settings) == RateLimits(rpm: 500, rpd: 10_000, tpm: 200_000, batchQueue: 2_000_000))
            #expect(catalog.limits(for: "gpt-4o", settings: settings).tpm == 30_000)
            #expect(catalog.limits(for: "text-embedding-3-large", settings: settings).rpm == 3_000)
            settings.tier = "tier5"
            #expect(catalog.limits(for: "gpt-4.1-mini", settings: settings).tpm == 150_000_000)
            #expect(catalog.limits(for: "gpt-3.5-turbo", settings: settings).rpm == 10_000)
            settings.tierSet = "seed002"
            settings.tier = "free"
            #expect(catalog.limits(for: "anything", settings: settings) == RateLimits(rpm: 3, tpm: 40_000))
            settings.tier = "tier2"
            settings.limits.rpm = 42
            #expect(catalog.limits(for: "gpt-4o-mini", settings: settings) == RateLimits(rpm: 42, tpm: 450_000))
            settings.tier = "tier9"
            #expect(throws: MockConfigurationError.self) { try catalog.validate(settings) }
        }
    }
}
