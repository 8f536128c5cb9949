import Testing
@testable import TierbenchCore

/// `BatchReconciler` and `BatchOutputLine` on hand-written output and error files: out-of-order lines, per-line
/// HTTP errors, expired and failed lines, duplicates, unknown ids, unreadable lines, a failed batch.
@Suite struct BatchReconcilerTests {
    static let ids = (0..<6).map { BatchInputLine.customID(index: $0) }

    static func ok(_ id: String, prompt: Int = 10, completion: Int = 5) -> String {
        #"{"id":"batch_req_\#(id)","custom_id":"\#(id)","response":{"status_code":200,"request_id":"r","body":{"id":"chatcmpl-1","object":"chat.completion","usage":{"prompt_tokens":\#(prompt),"completion_tokens":\#(completion),"total_tokens":\#(prompt + completion)}}},"error":null}"#
    }

    static func http(_ id: String, _ status: Int, code: String) -> String {
        #"{"id":"batch_req_x","custom_id":"\#(id)","response":{"status_code":\#(status),"request_id":"r","body":{"error":{"message":"failed \#(status)","type":"invalid_request_error","param":null,"code":"\#(code)"}}},"error":null}"#
    }

    static let expired = #"{"id":"batch_req_e","custom_id":"req-000005","response":null,"error":{"code":"batch_expired","message":"This request could not be executed before the completion window expired."}}"#

    @Test func outOfOrderOutputWithPerLineHTTPErrors() {
        // Output in reverse order; the error file has a 404, a 429 and an expired line; req-000004 is in neither.
        let output = [Self.ok("req-000006"), Self.ok("req-000003", prompt: 7), Self.ok("req-000001")]
        let errors = [Self.http("req-000002", 404, code: "model_not_found"), Self.expired,
                      Self.http("req-000004", 429, code: "rate_limit_exceeded")].dropLast()
        var reconciler = BatchReconciler(customIDs: Self.ids)
        for (number, line) in output.enumerated() { reconciler.add(Substring(line), source: "output", number: number + 1) }
        for (number, line) in errors.enumerated() { reconciler.add(Substring(line), source: "error", number: number + 1) }
        let results = reconciler.finish()
        #expect(results.map(\.outcome) == [.ok, .httpError, .ok, .missing, .expired, .ok])
        #expect(results[1].status == 404)
        #expect(results[1].errorCode == "model_not_found")
        #expect(results[2].usage == TokenUsage(prompt: 7, completion: 5))
        #expect(results[4].errorCode == "batch_expired")
        #expect(reconciler.anomalies == BatchReconciler.Anomalies())
    }

    @Test func duplicatesUnknownIDsAndUnreadableLinesAreCounted() {
        var reconciler = BatchReconciler(customIDs: Self.ids)
        let lines = [Self.ok("req-000001"), Self.http("req-000001", 500, code: "server_error"), Self.ok("req-999999"),
                     "not json", "", #"{"response":null}"#]
        for (number, line) in lines.enumerated() { reconciler.add(Substring(line), source: "output", number: number + 1) }
        let results = reconciler.finish()
        #expect(results[0].outcome == .ok)  // the first line counts
        #expect(reconciler.anomalies.duplicates == 1)
        #expect(reconciler.anomalies.unknownIDs == 1)
        #expect(reconciler.anomalies.unreadable == 2)
        #expect(reconciler.anomalies.examples.contains("duplicate custom_id req-000001 (output line 2)"))
        #expect(reconciler.anomalies.examples.contains("unknown custom_id req-999999 (output line 3)"))
    }

    @Test func aFailedBatchFailsItsUnrunLines() {
        var reconciler = BatchReconciler(customIDs: Self.ids)
        let failure = BatchError.tokenLimitExceeded(model: "gpt-4o-mini", organization: "org-x", limit: 90_000)
        let results = reconciler.finish(batchFailure: failure)
        #expect(results.allSatisfy { $0.outcome == .failed && $0.errorCode == "token_limit_exceeded" })
        #expect(BatchLineOutcome.isRetryable(.failed, status: nil, errorCode: "token_limit_exceeded"))
    }

    @Test func successIsJudgedByStatusNotByErrorNull() throws {
        let line = try BatchOutputLine(parsing: Substring(Self.http("req-000001", 400, code: "invalid_value")))
        #expect(line.outcome == .httpError)
        let other = try BatchOutputLine(parsing: #"{"custom_id":"a","response":null,"error":{"code":"server_error","message":"x"}}"#)
        #expect(other.outcome == .failed)
        let responses = try BatchOutputLine(parsing: #"{"custom_id":"b","response":{"status_code":200,"body":{"usage":{"input_tokens":3,"output_tokens":4,"input_tokens_details":{"cached_tokens":1}}}},"error":null}"#)
        #expect(responses.usage == TokenUsage(prompt: 3, completion: 4, cachedPrompt: 1))
    }

    @Test func retryableOutcomes() {
        #expect(BatchLineOutcome.isRetryable(.expired, status: nil, errorCode: "batch_expired"))
        #expect(BatchLineOutcome.isRetryable(.httpError, status: 429, errorCode: nil))
        #expect(BatchLineOutcome.isRetryable(.httpError, status: 503, errorCode: nil))
        #expect(!BatchLineOutcome.isRetryable(.httpError, status: 400, errorCode: nil))
        #expect(!BatchLineOutcome.isRetryable(.missing, status: nil, errorCode: nil))
        #expect(!BatchLineOutcome.isRetryable(.ok, status: 200, errorCode: nil))
    }

    @Test func tallyCountsOutcomesStatusesAndUsage() {
        var tally = BatchOutcomeTally()
        tally.add(.init(outcome: .ok, status: 200, usage: TokenUsage(prompt: 10, completion: 2)))
        tally.add(.init(outcome: .httpError, status: 429, errorCode: "rate_limit_exceeded"))
        tally.add(.init(outcome: .httpError, status: 429, errorCode: "rate_limit_exceeded"))
        tally.add(.init(outcome: .missing))
        #expect(tally.lines == 4)
        #expect(tally.count(.httpError) == 2)
        #expect(tally.httpStatuses == [429: 2])
        #expect(tally.errorCodes == ["rate_limit_exceeded": 2])
        #expect(tally.lineUsage.prompt == 10)
    }
}
