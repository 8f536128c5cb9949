import Testing
@testable import TierbenchCore

struct MetricsRecorderTests {
    static let ms: UInt64 = 1_000_000
    static let second: UInt64 = 1_000_000_000

    /// A successful closed-loop request sent at `start` ms taking `latency` ms.
    static func success(_ index: Int, start: UInt64, latency: UInt64, usage: TokenUsage? = nil,
                        warmup: Bool = false) -> RequestOutcome {
        RequestOutcome(index: index, intendedStart: start * ms, actualStart: start * ms,
                       end: (start + latency) * ms, status: 200, usage: usage, warmup: warmup)
    }

    @Test func countsSuccessesFailuresClassesAndStatuses() {
        var recorder = MetricsRecorder()
        for index in 0..<90 { recorder.record(Self.success(index, start: UInt64(index) * 10, latency: 20)) }
        for index in 90..<95 {
            recorder.record(RequestOutcome(index: index, intendedStart: 0, actualStart: 0, end: 5 * Self.ms,
                                           status: 429, errorClass: .rateLimited, errorMessage: "Rate limit"))
        }
        for index in 95..<98 {
            recorder.record(RequestOutcome(index: index, intendedStart: 0, actualStart: 0, end: 5 * Self.ms,
                                           status: 503, errorClass: .http5xx))
        }
        for index in 98..<100 {
            recorder.record(RequestOutcome(index: index, intendedStart: 0, actualStart: 0, end: Self.ms,
                                           status: 0, errorClass: .connectionRefused))
        }
        #expect(recorder.total == 100)
        #expect(recorder.succeeded == 90)
        #expect(recorder.failed == 10)
        #expect(recorder.errors[.rateLimited] == 5)
        #expect(recorder.errors[.http5xx] == 3)
        #expect(recorder.errors[.connectionRefused] == 2)
        #expect(recorder.errors.total == 10)
        #expect(recorder.errors.byLabel == ["http_429": 5, "http_5xx": 3, "connection_refused": 2])
        #expect(recorder.statuses.byCode == ["200": 90, "429": 5, "503": 3])
        #expect(recorder.statuses.total == 98)  // the two refused connections had no response
        // Latency holds successes only: every one took exactly 20 ms.
        #expect(recorder.latency.count == 90)
        #expect(recorder.latency.minMicros == 20_000)
        #expect(recorder.latency.maxMicros == 20_000)
        #expect(recorder.sendLateness.count == 100)
    }

    @Test func warmupRequestsAreExcludedFromStatisticsButCounted() {
        var recorder = MetricsRecorder()
        recorder.record(Self.success(0, start: 0, latency: 500, usage: TokenUsage(prompt: 100, completion: 100),
                                     warmup: true))
        recorder.record(Self.success(1, start: 1_000, latency: 20, usage: TokenUsage(prompt: 10, completion: 5)))
        #expect(recorder.warmupExcluded == 1)
        #expect(recorder.total == 1)
        #expect(recorder.usage == TokenUsage(prompt: 10, completion: 5, total: 15))
        #expect(recorder.latency.maxMicros == 20_000)
        #expect(recorder.firstSend == 1_000 * Self.ms)
        #expect(recorder.timeSeries.requests[0] == 1)  // the warmup request, shown in charts
        #expect(recorder.timeSeries.requests[1] == 1)
    }

    @Test func sumsUsagePromptsBytesAttempts() {
        var recorder = MetricsRecorder()
        var outcome = Self.success(0, start: 0, latency: 10, usage: TokenUsage(prompt: 12, completion: 30, total: 42))
        outcome.prompts = 4
        outcome.bytesSent = 300
        outcome.bytesReceived = 900
        outcome.attempts = 3
        recorder.record(outcome)
        recorder.record(Self.success(1, start: 0, latency: 10, usage: TokenUsage(prompt: 8, total: 8)))
        recorder.record(Self.success(2, start: 0, latency: 10))  // no usage reported
        #expect(recorder.usage == TokenUsage(prompt: 20, completion: 30, total: 50))
        #expect(recorder.responsesWithUsage == 2)
        #expect(recorder.prompts == 6)
        #expect(recorder.promptsSucceeded == 6)
        #expect(recorder.bytesSent == 300)
        #expect(recorder.bytesReceived == 900)
        #expect(recorder.attempts == 5)
        #expect(recorder.retriedRequests == 1)
    }

    @Test func openLoopSeparatesServiceTimeResponseTimeAndLateness() {
        var recorder = MetricsRecorder()
        // Intended at 100 ms, sent 30 ms late, served in 20 ms.
        recorder.record(RequestOutcome(index: 0, intendedStart: 100 * Self.ms, actualStart: 130 * Self.ms,
                                       end: 150 * Self.ms, status: 200))
        #expect(recorder.latency.maxMicros == 20_000)
        #expect(recorder.responseTime.maxMicros == 50_000)
        #expect(recorder.sendLateness.maxMicros == 30_000)
        #expect(recorder.lateSends == 1)
    }

    @Test func streamingFiguresTTFTAndTPOT() {
        var recorder = MetricsRecorder()
        // Sent at 0, first token at 200 ms, 11 completion tokens, done at 700 ms: TPOT = 500 / 10 = 50 ms.
        recorder.record(RequestOutcome(index: 0, intendedStart: 0, actualStart: 0, end: 700 * Self.ms, status: 200,
                                       usage: TokenUsage(prompt: 5, completion: 11), firstTokenAt: 200 * Self.ms,
                                       lastTokenAt: 690 * Self.ms, outputChunks: 11))
        for _ in 0..<10 { recorder.recordInterTokenGap(49 * Self.ms) }
        #expect(recorder.timeToFirstToken.maxMicros == 200_000)
        #expect(recorder.timePerOutputToken.maxMicros == 50_000)
        #expect(recorder.interTokenLatency.count == 10)
        #expect(recorder.streamedRequests == 1)
        #expect(recorder.outputChunks == 11)
    }

    @Test func phaseTimingsAndNewConnections() {
        var recorder = MetricsRecorder()
        var first = Self.success(0, start: 0, latency: 10)
        first.timings = PhaseTimings(dns: 100, connect: 300, tls: 300, firstByte: 9_000, total: 10_000)
        var second = Self.success(1, start: 10, latency: 10)
        second.timings = PhaseTimings(dns: 0, connect: 0, tls: 0, firstByte: 7_000, total: 8_000)
        recorder.record(first)
        recorder.record(second)
        #expect(recorder.phaseSums == PhaseTimings(dns: 100, connect: 300, tls: 300, firstByte: 16_000,
                                                   total: 18_000))
        #expect(recorder.newConnections == 1)
    }

    @Test func mergeEqualsRecordingEverythingInOneRecorder() {
        var all = MetricsRecorder()
        var parts = [MetricsRecorder(), MetricsRecorder(), MetricsRecorder(), MetricsRecorder()]
        var random = MetricsTestRandom(state: 3)
        for index in 0..<4_000 {
            let start = UInt64(index) * 5 * Self.ms
            let latency = random.next() % (300 * Self.ms)
            let failed = random.next() % 10 == 0
            let outcome = RequestOutcome(
                index: index, intendedStart: start, actualStart: start + random.next() % 2 * Self.ms,
                end: start + latency, status: failed ? 429 : 200, errorClass: failed ? .rateLimited : nil,
                usage: failed ? nil : TokenUsage(prompt: 10, completion: Int(random.next() % 50)),
                warmup: index < 100)
            all.record(outcome)
            parts[index % parts.count].record(outcome)
        }
        var merged = MetricsRecorder()
        for part in parts { merged.merge(part) }
        #expect(merged.total == all.total)
        #expect(merged.succeeded == all.succeeded)
        #expect(merged.failed == all.failed)
        #expect(merged.warmupExcluded == all.warmupExcluded)
        #expect(merged.errors == all.errors)
        #expect(merged.statuses == all.statuses)
        #expect(merged.usage == all.usage)
        #expect(merged.lateSends == all.lateSends)
        #expect(merged.firstSend == all.firstSend)
        #expect(merged.lastCompletion == all.lastCompletion)
        #expect(merged.timeSeries == all.timeSeries)
        #expect(Array(merged.latency.histogram.recordedValues()) == Array(all.latency.histogram.recordedValues()))
        #expect(abs(merged.latency.meanMicros - all.latency.meanMicros) < 1e-6)
        #expect(merged.responseTime.count == all.responseTime.count)
    }

    @Test func errorClassOrdinalsAndLabelsMatchTheEnum() {
        for (index, errorClass) in ErrorClass.allCases.enumerated() {
            #expect(errorClass.ordinal == index)
            #expect(errorClass.label.description == errorClass.rawValue)
        }
    }

    @Test func recordingDoesNotGrowMemory() {
        var recorder = MetricsRecorder()
        recorder.record(Self.success(0, start: 0, latency: 1))
        let footprint = recorder.latency.histogram.estimatedFootprintInBytes
        for index in 1..<100_000 {
            recorder.record(Self.success(index, start: UInt64(index), latency: UInt64(index % 5_000)))
        }
        #expect(recorder.latency.histogram.estimatedFootprintInBytes == footprint)
        #expect(recorder.timeSeries.requests.count == recorder.timeSeries.capacity)
    }
}
