import Testing

@testable import TierbenchCore

/// Ground truth worked by hand from the definitions in SyncJobModel and BatchJobModel (docs/batch.md).
@Suite("Batch vs sync projection")
struct BatchBreakEvenTests {
    /// gpt-4o-mini at tier1 (500 RPM, 10,000 RPD, buckets full at the start); workers sustaining 500 a minute.
    private let tier1 = SyncJobModel(
        workerRate: 500.0 / 60,
        limits: SyncJobModel.limits(TierLimits(requestsPerMinute: 500, requestsPerDay: 10_000), tokensPerRequest: 0))
    /// A measured batch: 1 s validating, 600 s in progress for 1,000 lines, 3 s finalizing; 30 tokens a line.
    private let measured = BatchJobModel(
        validatingSeconds: 1, inProgressSeconds: 600, finalizingSeconds: 3, measuredLines: 1_000, tokensPerLine: 30,
        queueTokenLimit: 2_000_000)

    @Test func theDailyLimitTurnsHoursIntoDays() {
        // Within the day budget the workers (0.12 s a request) set the time…
        #expect(abs(tier1.seconds(forPrompts: 10_000) - 1_200) < 1e-9)
        // …beyond it the day bucket: 10,000 more need 86,400 s of refill.
        #expect(abs(tier1.seconds(forPrompts: 20_000) - 86_400) < 1e-6)
        #expect(abs(tier1.seconds(forPrompts: 50_000) - 4 * 86_400) < 1e-6)
        #expect(tier1.bindingLimit(forPrompts: 50_000)?.name == "RPD")
        #expect(tier1.bindingLimit(forPrompts: 5_000) == nil)
        // Four prompts a request: a quarter of the requests.
        var batched = tier1
        batched.promptsPerRequest = 4
        #expect(abs(batched.seconds(forPrompts: 40_000) - 1_200) < 1e-9)
    }

    @Test func aFullMinuteBucketLetsFastWorkersBurst() {
        // Workers that could do 100/s meet 500 RPM with a full bucket: 500 at once, then 500 a minute.
        let fast = SyncJobModel(
            workerRate: 100, limits: SyncJobModel.limits(TierLimits(requestsPerMinute: 500), tokensPerRequest: 0))
        #expect(abs(fast.seconds(forPrompts: 400) - 4) < 1e-9)
        #expect(abs(fast.seconds(forPrompts: 1_500) - 120) < 1e-9)
        // An empty bucket at the start (initial_fill 0): 1,500 at 500 a minute.
        let empty = SyncJobModel(
            workerRate: 100,
            limits: SyncJobModel.limits(TierLimits(requestsPerMinute: 500), tokensPerRequest: 0, minuteFill: 0))
        #expect(abs(empty.seconds(forPrompts: 1_500) - 180) < 1e-9)
    }

    @Test func tokensCountInRequestsOfTheirSize() {
        // 100 tokens a request: TPD 100,000 is 1,000 requests a day.
        let model = SyncJobModel(
            workerRate: 10, limits: SyncJobModel.limits(TierLimits(tokensPerDay: 100_000), tokensPerRequest: 100))
        #expect(abs(model.seconds(forPrompts: 2_000) - 1_000 * 86.4) < 1e-6)
        #expect(model.bindingLimit(forPrompts: 2_000)?.name == "TPD")
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
        // Below 10,000 sync (0.12 s a prompt) always wins; above, sync = (N − 10,000) · 8.64 and batch = 4 + 0.6 N
        // meet at N = 86,404 / 8.04 = 10,746.8.
        #expect(BatchBreakEven.jobSize(sync: tier1, batch: measured) == 10_747)
    }

    @Test func withoutADailyLimitAFastTierNeverLosesToTheBatch() {
        let tier2 = SyncJobModel(workerRate: 5_000.0 / 60)
        #expect(BatchBreakEven.jobSize(sync: tier2, batch: measured) == nil)
    }

    @Test func hostileFiguresGiveNoAnswerRatherThanATrap() {
        let broken = SyncJobModel(workerRate: .nan)
        #expect(broken.seconds(forPrompts: 10) == .infinity)
        #expect(BatchBreakEven.jobSize(sync: broken, batch: measured) == 1)
        #expect(SyncJobModel(workerRate: .infinity).seconds(forPrompts: Int.max) == 0)
        let stuck = SyncJobModel(workerRate: 1, limits: [.init(name: "RPD", burst: 0, perSecond: 0)])
        #expect(stuck.seconds(forPrompts: 1) == .infinity)
    }
}
