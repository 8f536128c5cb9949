import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TierbenchCore
import Testing

@testable import TierbenchMock

extension MockTests {
    /// Each terminal status of a batch, walked on a manual clock so every stamp is exact.
    @Suite struct BatchLifecycleTests {
        typealias Support = BatchTestSupport

        /// validating 10 s → in_progress (queue 100 s, 10 lines at 1 line/s) → finalizing 20 s → completed.
        @Test func completedLifecycleWalkedExactly() async throws {
            let clock = ManualBatchClock(start: Support.start)
            var settings = Support.settings()
            settings.batch.finalizeMin = .seconds(20)
            settings.batch.finalizeMax = .seconds(20)
            let (app, runtime) = try MockTestSupport.application(settings, batchClock: clock)
            try await app.test(.router) { client in
                let file = try await Support.upload(client, Support.chatFile(10))
                let created = try await Support.create(client, file: file, extra: #","metadata":{"run":"a"}"#)
                let id = try #require(created["id"] as? String)
                #expect(id.hasPrefix("batch_") && id.count == 38)
                #expect(created["status"] as? String == "validating")
                #expect(created["created_at"] as? Int == Int(Support.start))
                #expect(created["expires_at"] as? Int == Int(Support.start) + 86_400)
                #expect(Support.counts(created) == (0, 0, 0))
                #expect((created["metadata"] as? [String: String]) == ["run": "a"])

                clock.advance(9.5)
                #expect(try await Support.batch(client, id)["status"] as? String == "validating")
                clock.advance(0.5)
                let running = try await Support.batch(client, id)
                #expect(running["status"] as? String == "in_progress")
                #expect(running["in_progress_at"] as? Int == Int(Support.start) + 10)
                #expect(running["model"] as? String == "gpt-4o-mini")
                #expect(Support.counts(running) == (10, 0, 0))

                // The queue wait (100 s) passes before the first line; then the lines finish over 10 s.
                clock.advance(99)
                #expect(Support.counts(try await Support.batch(client, id)) == (10, 0, 0))
                clock.advance(6)
                let partly = try await Support.batch(client, id)
                let (_, done, _) = Support.counts(partly)
                #expect(done > 0 && done < 10, "after half the processing window: \(done)")

                clock.advance(5)
                let finalizing = try await Support.batch(client, id)
                #expect(finalizing["status"] as? String == "finalizing")
                let finalizingAt = try #require(finalizing["finalizing_at"] as? Int)
                #expect(finalizingAt >= Int(Support.start) + 110 && finalizingAt <= Int(Support.start) + 120)
                #expect(finalizing["output_file_id"] is NSNull)

                clock.advance(20)
                let completed = try await Support.batch(client, id)
                #expect(completed["status"] as? String == "completed")
                let completedAt = try #require(completed["completed_at"] as? Int)
                #expect(completedAt - finalizingAt == 20)
                #expect(Support.counts(completed) == (10, 10, 0))
                #expect(completed["error_file_id"] is NSNull)
                for stamp in ["failed_at", "expired_at", "cancelling_at", "cancelled_at"] {
                    #expect(completed[stamp] is NSNull, "\(stamp)")
                }
                let usage = try #require(completed["usage"] as? [String: Any])
                #expect(usage["input_tokens"] as? Int == 90)  // 9 prompt tokens a line
                #expect(usage["output_tokens"] as? Int == 50)  // max_tokens 5
                #expect(usage["total_tokens"] as? Int == 140)

                let output = try #require(completed["output_file_id"] as? String)
                let lines = try await Support.lines(client, file: output)
                #expect(lines.count == 10)
                let ids = lines.compactMap { $0["custom_id"] as? String }
                #expect(Set(ids) == Set((1...10).map { "req-\($0)" }))
                #expect(ids != (1...10).map { "req-\($0)" }, "output lines follow completion order, not input order")
                for line in lines {
                    let lineID = try #require(line["id"] as? String)
                    #expect(lineID.hasPrefix("batch_req_") && lineID.count == 42)
                    #expect(line["error"] is NSNull)
                    let response = try #require(line["response"] as? [String: Any])
                    #expect(response["status_code"] as? Int == 200)
                    #expect((response["request_id"] as? String)?.hasPrefix("req_") == true)
                    let body = try #require(response["body"] as? [String: Any])
                    #expect(body["object"] as? String == "chat.completion")
                }
                let outputFile = try await client.execute(uri: "/v1/files/\(output)", method: .get) { response in
                    try MockTestSupport.object(response.body)
                }
                #expect(outputFile["purpose"] as? String == "batch_output")
                #expect(outputFile["created_at"] as? Int == completedAt)
            }
            let stats = runtime.snapshot()
            #expect(stats.batchesCreated == 1)
            #expect(stats.batches.filesUploaded == 1)
            #expect(stats.batches.byStatus == ["completed": 1])
            #expect(stats.batches.linesSucceeded == 10 && stats.batches.linesFailed == 0)
            // Batch lines are not synchronous requests: only the API calls are counted as requests.
            #expect(stats.byRoute["chat"] == nil)
        }

        /// Every validation problem is reported in `errors.data[]`, with its line; `in_progress_at` stays null.
        @Test func failedWithEveryValidationCode() async throws {
            let clock = ManualBatchClock(start: Support.start)
            let (app, _) = try MockTestSupport.application(Support.settings(), batchClock: clock)
            let lines = [
                Support.chatLine("ok-1"),
                "{not json",
                #"{"method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[]}}"#,
                #"{"custom_id":"u","method":"POST","url":"/v1/embeddings","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}]}}"#,
                Support.chatLine("m", model: "nonexistent-model-xyz"),
                Support.chatLine("s", extra: #","stream":true"#),
                Support.chatLine("ok-1"),
            ]
            try await app.test(.router) { client in
                let file = try await Support.upload(client, lines.joined(separator: "\n"))
                let id = try #require(try await Support.create(client, file: file)["id"] as? String)
                clock.advance(10)
                let failed = try await Support.batch(client, id)
                #expect(failed["status"] as? String == "failed")
                #expect(failed["failed_at"] as? Int == Int(Support.start) + 10)
                #expect(failed["in_progress_at"] is NSNull)
                let errors = try #require((failed["errors"] as? [String: Any])?["data"] as? [[String: Any]])
                let codes = errors.map { "\($0["line"] as? Int ?? 0):\($0["code"] as? String ?? "-")" }
                #expect(codes == [
                    "2:invalid_json_line", "3:missing_required_parameter", "4:invalid_url", "5:model_not_found",
                    "6:streaming_unsupported", "7:duplicate_custom_id",
                ])
                #expect(errors[1]["param"] as? String == "custom_id")
                #expect(errors[3]["message"] as? String
                    == "The provided model 'nonexistent-model-xyz' is not supported by the Batch API.")
                #expect(failed["output_file_id"] is NSNull && failed["error_file_id"] is NSNull)
            }
        }

        /// A missing input file does not fail the create; the batch fails when validating ends.
        @Test func missingInputFileFailsLate() async throws {
            let clock = ManualBatchClock(start: Support.start)
            let (app, _) = try MockTestSupport.application(Support.settings(), batchClock: clock)
            try await app.test(.router) { client in
                let created = try await Support.create(client, file: "file-doesnotexist")
                let id = try #require(created["id"] as? String)
                #expect(created["status"] as? String == "validating")
                clock.advance(10)
                let failed = try await Support.batch(client, id)
                #expect(failed["status"] as? String == "failed")
                let error = try #require(((failed["errors"] as? [String: Any])?["data"] as? [[String: Any]])?.first)
                #expect(error["code"] as? String == "invalid_request")
                #expect(error["param"] as? String == "file_id")
                #expect(error["line"] is NSNull)
                #expect(error["message"] as? String
                    == "Cannot find file file-doesnotexist, or organization org-tierbenchmock does not have access to it.")
            }
        }

        /// The enqueued-token limit counts the other batches of the model that are still validating, in progress
        /// or finalizing, at the end of validating; a finished batch frees its tokens. Batch lines do not consume
        /// the sync TPM (tier 1 gpt-4o: 30,000 TPM, far below the 60,018 tokens batch A runs).
        @Test func tokenLimitExceededCountsOtherBatches() async throws {
            let clock = ManualBatchClock(start: Support.start)
            var settings = Support.settings()
            settings.tier = "tier1"  // gpt-4o: 90,000 enqueued tokens
            let (app, _) = try MockTestSupport.application(settings, batchClock: clock)
            let big = String(repeating: "abcd", count: 20_000)  // 20,000 tokens + 6 a line
            try await app.test(.router) { client in
                let fileA = try await Support.upload(client, Support.chatFile(3, model: "gpt-4o", content: big))
                let fileB = try await Support.upload(client, Support.chatFile(2, model: "gpt-4o", content: big))
                let a = try #require(try await Support.create(client, file: fileA)["id"] as? String)
                clock.advance(5)
                let b = try #require(try await Support.create(client, file: fileB)["id"] as? String)
                clock.advance(10)  // A validated at +10 (60,018 ≤ 90,000); B at +15 sees A in progress.
                #expect(try await Support.batch(client, a)["status"] as? String == "in_progress")
                let failed = try await Support.batch(client, b)
                #expect(failed["status"] as? String == "failed")
                let error = try #require(((failed["errors"] as? [String: Any])?["data"] as? [[String: Any]])?.first)
                #expect(error["code"] as? String == "token_limit_exceeded")
                #expect(error["line"] is NSNull)
                #expect(error["message"] as? String
                    == "Enqueued token limit reached for gpt-4o in organization org-tierbenchmock. Limit: 90,000 "
                    + "enqueued tokens. Please try again once some in_progress batches have been completed.")

                clock.advance(200)  // A completes.
                let done = try await Support.batch(client, a)
                #expect(done["status"] as? String == "completed")
                #expect(Support.counts(done) == (3, 3, 0))
                let c = try #require(try await Support.create(client, file: fileB)["id"] as? String)
                clock.advance(10)
                #expect(try await Support.batch(client, c)["status"] as? String == "in_progress")
            }
        }

        /// At `expires_at` finished lines are in the output file and the rest are `batch_expired` error lines.
        @Test func expiredWithPartialOutput() async throws {
            let clock = ManualBatchClock(start: Support.start)
            var settings = Support.settings()
            settings.batch.linesPerSecond = 10.0 / (2 * 86_400)  // the 10 lines would take two days
            let (app, _) = try MockTestSupport.application(settings, batchClock: clock)
            try await app.test(.router) { client in
                let file = try await Support.upload(client, Support.chatFile(10))
                let id = try #require(try await Support.create(client, file: file)["id"] as? String)
                clock.advance(86_399)
                #expect(try await Support.batch(client, id)["status"] as? String == "in_progress")
                clock.advance(1)
                let expired = try await Support.batch(client, id)
                #expect(expired["status"] as? String == "expired")
                #expect(expired["expired_at"] as? Int == Int(Support.start) + 86_400)
                let (total, completed, failed) = Support.counts(expired)
                #expect(total == 10 && completed > 0 && completed < 10 && completed + failed == 10)
                let output = try await Support.lines(client, file: try #require(expired["output_file_id"] as? String))
                let errors = try await Support.lines(client, file: try #require(expired["error_file_id"] as? String))
                #expect(output.count == completed && errors.count == failed)
                for line in errors {
                    #expect(line["response"] is NSNull)
                    let error = try #require(line["error"] as? [String: Any])
                    #expect(error["code"] as? String == "batch_expired")
                    #expect(error["message"] as? String
                        == "This request could not be executed before the completion window expired.")
                }
                let all = Set((output + errors).compactMap { $0["custom_id"] as? String })
                #expect(all == Set((1...10).map { "req-\($0)" }))
            }
        }

        /// Cancelling lasts the drawn delay (30 s here); lines finished by then are in the output file, the rest
        /// never run. Cancelling again returns the batch; a finished batch cannot be cancelled (409).
        @Test func cancelledWithPartialOutputAndLateCancel() async throws {
            let clock = ManualBatchClock(start: Support.start)
            var settings = Support.settings()
            settings.batch.linesPerSecond = 0.1  // 10 lines over 100 s
            let (app, _) = try MockTestSupport.application(settings, batchClock: clock)
            try await app.test(.router) { client in
                let file = try await Support.upload(client, Support.chatFile(10))
                let id = try #require(try await Support.create(client, file: file)["id"] as? String)
                clock.advance(110 + 40)  // 40 s into processing
                let cancelling = try await client.execute(uri: "/v1/batches/\(id)/cancel", method: .post) { response in
                    #expect(response.status == .ok)
                    return try MockTestSupport.object(response.body)
                }
                #expect(cancelling["status"] as? String == "cancelling")
                #expect(cancelling["cancelling_at"] as? Int == Int(Support.start) + 150)
                clock.advance(29)
                let again = try await client.execute(uri: "/v1/batches/\(id)/cancel", method: .post) { response in
                    #expect(response.status == .ok)
                    return try MockTestSupport.object(response.body)
                }
                #expect(again["status"] as? String == "cancelling")
                clock.advance(1)
                let cancelled = try await Support.batch(client, id)
                #expect(cancelled["status"] as? String == "cancelled")
                #expect(cancelled["cancelled_at"] as? Int == Int(Support.start) + 180)
                let (_, completed, failed) = Support.counts(cancelled)
                #expect(completed > 0 && completed < 10 && failed == 0)
                let output = try await Support.lines(client, file: try #require(cancelled["output_file_id"] as? String))
                #expect(output.count == completed)
                clock.advance(86_400)
                #expect(try await Support.batch(client, id)["status"] as? String == "cancelled")

                // A completed batch: 409.
                let other = try #require(try await Support.create(client, file: file)["id"] as? String)
                clock.advance(1_000)
                try await client.execute(uri: "/v1/batches/\(other)/cancel", method: .post) { response in
                    #expect(response.status == .conflict)
                    let error = try MockTestSupport.errorObject(response.body)
                    #expect(error["message"] as? String == "Cannot cancel a batch with status 'completed'.")
                }
                try await client.execute(uri: "/v1/batches/batch_nope/cancel", method: .post) { response in
                    #expect(response.status == .notFound)
                }
            }
        }
    }
}
