import Foundation
import Testing
@testable import TierbenchCore

/// The batch client's pure parts: multipart body, backoff, state file coding, summary phases and cost.
@Suite struct BatchSupportTests {
    @Test func multipartBodyHasTheFieldsTheFileAndTheClosingBoundary() {
        let form = MultipartFormBody(boundary: "XyZ", fields: [("purpose", "batch")], fileName: "in\"put.jsonl")
        let text = String(decoding: form.body(file: Array("{\"a\":1}\n".utf8)), as: UTF8.self)
        #expect(text == "--XyZ\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in\\\"put.jsonl\"\r\n"
            + "Content-Type: application/jsonl\r\n\r\n{\"a\":1}\n\r\n--XyZ--\r\n")
        #expect(form.contentType == "multipart/form-data; boundary=XyZ")
        #expect(MultipartFormBody.boundary(randomBytes: [0, 255, 16]) == "tierbench-00ff10")
    }

    @Test func backoffGrowsIsCappedJittersAndHonoursRetryAfter() {
        let backoff = BatchBackoff(initial: 1, multiplier: 2, cap: 10, jitter: 0.5, maxServerDelay: 60)
        #expect(backoff.delay(attempt: 0, random: 0) == 1)
        #expect(backoff.delay(attempt: 3, random: 0) == 8)
        #expect(backoff.delay(attempt: 30, random: 0) == 10)
        #expect(backoff.delay(attempt: 30, random: 0.999_999) > 5)
        #expect(backoff.delay(attempt: 30, random: 1) == 5)
        #expect(backoff.delay(attempt: 0, random: 0, retryAfter: 7) == 7)
        #expect(backoff.delay(attempt: 0, random: 0, retryAfter: 10_000) == 60)
        #expect(backoff.delay(attempt: 4, random: 0, retryAfter: 0.5) == 10)
    }

    @Test func stateRoundTripsThroughJSON() throws {
        var state = BatchRunState(runID: "tb-1", scenarioPath: "s.yaml", scenarioName: "s", endpoint: "/v1/chat/completions",
                                  model: "gpt-4o-mini", target: "mock", totalLines: 3, maxRounds: 1,
                                  startedAt: "2026-12-05T13:00:00.000Z", startedAtUnix: 1_796_475_600)
        var shard = BatchRunState.Shard(index: 0, round: 0, inputFile: "input-001.jsonl", lineCount: 3, byteCount: 300,
                                        inputTokens: 30, estimatedUSD: 0.001)
        shard.createStarted = true
        shard.batchID = "batch_1"
        shard.batch = .object([.init("id", .string("batch_1")), .init("status", .string("in_progress"))])
        state.shards = [shard]
        let data = try JSONEncoder().encode(state)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"run_id\":\"tb-1\""))
        #expect(text.contains("\"create_started\":true"))
        let decoded = try JSONDecoder().decode(BatchRunState.self, from: data)
        #expect(decoded == state)
        #expect(decoded.shards[0].status == .inProgress)
        #expect(!decoded.shards[0].isDone)
        #expect(state.metadata(for: shard).map(\.key) == ["tierbench_run", "tierbench_shard"])
    }

    @Test func summaryTakesPhasesFromTheStampsAndCostsAtBatchPrices() {
        var batch = BatchObject(id: "batch_1", endpoint: "/v1/chat/completions", inputFileID: "file-1",
                                status: .completed, createdAt: 1_000)
        batch.inProgressAt = 1_010
        batch.finalizingAt = 1_310
        batch.completedAt = 1_315
        batch.usage = BatchObject.Usage(inputTokens: 1_000_000, outputTokens: 1_000_000)
        var tally = BatchOutcomeTally()
        for _ in 0..<90 { tally.add(.init(outcome: .ok, status: 200)) }
        for _ in 0..<10 { tally.add(.init(outcome: .expired, errorCode: "batch_expired")) }
        var summary = BatchRunSummary(runID: "tb-1", scenario: "s", target: "mock", endpoint: "/v1/chat/completions",
                                      model: "gpt-4o-mini", startedAt: "a", endedAt: "b", lines: 100,
                                      cost: .init(priceDate: "2026"), wallS: 2, rounds: 0)
        let price = PriceTable.ModelPrice(input: 0.15, output: 0.60)
        summary.fill(batches: [.init(batch: batch, round: 0, parentBatch: nil, lines: 100)], tally: tally,
                     lineUsageFallback: [:], price: price)
        #expect(summary.phases == .init(validatingS: 10, inProgressS: 300, finalizingS: 5))
        #expect(summary.timeToCompletionS == 315)
        #expect(summary.outcomes.ok == 90 && summary.outcomes.expired == 10)
        #expect(summary.cost.usd == 0.375)  // 0.075 + 0.30 per 1M at half price
        #expect(summary.linesPerS == (90.0 / 315 * 1000).rounded() / 1000)
        #expect(summary.batches[0].completionS == 315)
    }
}
