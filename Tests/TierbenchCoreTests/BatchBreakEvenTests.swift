import Testing

@testable import TierbenchCore

/// Ground truth worked by hand from the definitions in SyncJobModel and BatchJobModel (docs/batch.md).
@Suite("Batch vs sync projection")
struct BatchBreakEvenTests {
    /// gpt-4o-mini at tier1: 500 RPM, 10,000 RPD; enough workers to reach the RPM.
    private let tier1 = SyncJobModel(requestsPerSecond: 500.0 / 60, requestsPerDay: 10_000)
    /// A measured batch: 1 s validating, 600 s in progress for 1,000 lines, 3 s finalizing; 30 tokens a line.
    private let measured = BatchJobModel(
        validatingSeconds: 1, inProgressSeconds: 600, finalizingSeconds: 3, measuredLines: 1_000, tokensPerLine: 30,
        queueTokenLimit: 2_000_000)

    @Test func theDailyLimitTurnsHoursIntoDays() {
        #expect(abs(tier1.seconds(forPrompts: 10_000) - 1_200) < 1e-9)
        // 10,000 in the first 1,200 s, then 10,000 more at 10,000 a day.
        #expect(abs(tier1.seconds(forPrompts: 20_000) - 87_600) < 1e-6)
        #expect(abs(tier1.seconds(forPrompts: 50_000) - (1_200 + 4 * 86_400)) < 1e-6)
        // Four prompts a request: a quarter of the requests.
        let batched = SyncJobModel(requestsPerSecond: 500.0 / 60, promptsPerRequest: 4, requestsPerDay: 10_000)
        #expect(abs(batched.seconds(forPrompts: 40_000) - 1_200) < 1e-9)
    }

    @Test func tokensPerDayCountLikeRequests() {
        let model = SyncJobModel(requestsPerSecond: 10, tokensPerDay: 100_000, tokensPerRequest: 100)
        #expect(model.dailyRequests == 1_000)
        #expect(abs(model.seconds(forPrompts: 2_000) - (100 + 1_000 * 86.4)) < 1e-6)
    }

    @Test func sustainedRateIsTheTightestCap() {
        let rate = SyncJobModel.sustainedRate(
            workers: 16, secondsPerRequest: 0.5, requestsPerMinute: 500, tokensPerMinute: 200_000,
            tokensPerRequest: 100)
        #expect(abs(rate - 500.0 / 60) < 1e-12)  // workers 32/s, TPM 33.3/s, RPM 8.33/s
    }

    @Test func aBatchScalesItsInProgressTimeAndPaysFixedPhasesPerRound() {
        #expect(measured.linesPerBatch == 50_000)
        #expect(measured.batchesAtOnce == 1)  // 50,000 × 30 = 1.5M of 2M
        #expect(abs(measured.seconds(forLines: 20_000) - 12_004) < 1e-9)
        // 120,000 lines: three rounds of one batch (50k, 50k, 20k).
        #expect(abs(measured.seconds(forLines: 120_000) - (3 * 4 + 120_000 * 0.6)) < 1e-6)
        // gpt-4o at tier1 holds 90,000 tokens: 3,000 lines a batch, one batch at a time.
        var small = measured
        small.queueTokenLimit = 90_000
        #expect(small.linesPerBatch == 3_000)
        #expect(abs(small.seconds(forLines: 7_000) - (3 * 4 + 7_000 * 0.6)) < 1e-6)
        // A line larger than the whole queue can never run.
        small.tokensPerLine = 100_000
        #expect(small.seconds(forLines: 1) == .infinity)
    }

    @Test func breakEvenIsWhereTheDayLimitMakesSyncSlower() {
        // Below 10,000 sync (0.12 s a prompt) always wins; above, sync = 1,200 + (N − 10,000) · 8.64 and
        // batch = 4 + 0.6 N meet at N = 10,597.5.
        #expect(BatchBreakEven.jobSize(sync: tier1, batch: measured) == 10_598)
    }

    @Test func withoutADailyLimitAFastTierNeverLosesToTheBatch() {
        let tier2 = SyncJobModel(requestsPerSecond: 5_000.0 / 60)
        #expect(BatchBreakEven.jobSize(sync: tier2, batch: measured) == nil)
    }

    @Test func hostileFiguresGiveNoAnswerRatherThanATrap() {
        let broken = SyncJobModel(requestsPerSecond: .nan)
        #expect(broken.seconds(forPrompts: 10) == .infinity)
        #expect(BatchBreakEven.jobSize(sync: broken, batch: measured) == 1)
        #expect(SyncJobModel(requestsPerSecond: .infinity).seconds(forPrompts: Int.max) == 0)
    }
}
