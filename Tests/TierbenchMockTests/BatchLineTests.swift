import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TierbenchCore
import Testing

@testable import TierbenchMock

extension MockTests {
    /// How batch lines are executed: through the synchronous pipeline, with the fault plan, in completion order.
    @Suite struct BatchLineTests {
        typealias Support = BatchTestSupport

        /// Runs a 40-line batch to its end and returns the final batch, its output and error lines.
        private func run(
            _ settings: MockSettings, lines: Int = 40
        ) async throws -> (batch: [String: Any], output: [[String: Any]], errors: [[String: Any]]) {
            let clock = ManualBatchClock(start: Support.start)
            let (app, _) = try MockTestSupport.application(settings, batchClock: clock)
            // JSON text crosses the test client's Sendable boundary; it is decoded here.
            let texts = try await app.test(.router) { client -> [String] in
                let file = try await Support.upload(client, Support.chatFile(lines))
                let id = try #require(try await Support.create(client, file: file)["id"] as? String)
                clock.advance(1_000)
                var texts = [try await client.execute(uri: "/v1/batches/\(id)", method: .get) { String(buffer: $0.body) }]
                let batch = try MockTestSupport.object(ByteBuffer(string: texts[0]))
                for key in ["output_file_id", "error_file_id"] {
                    guard let file = batch[key] as? String else {
                        texts.append("")
                        continue
                    }
                    texts.append(try await client.execute(uri: "/v1/files/\(file)/content", method: .get) { String(buffer: $0.body) })
                }
                return texts
            }
            func decode(_ text: String) throws -> [[String: Any]] {
                try text.split(separator: "\n").map { line in
                    try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                }
            }
            return (try MockTestSupport.object(ByteBuffer(string: texts[0])), try decode(texts[1]), try decode(texts[2]))
        }

        /// Status faults answer the line with their status and error envelope; faults with no meaning offline
        /// (hang, reset, malformed JSON) are 500 lines. Every line is in one of the two files.
        @Test func faultPlanLinesGoToTheErrorFile() async throws {
            var settings = Support.settings()
            settings.faults.statusRates = [503: 0.3]
            settings.faults.hangRate = 0.2
            let (batch, output, errors) = try await run(settings)
            #expect(batch["status"] as? String == "completed")
            let (total, completed, failed) = Support.counts(batch)
            #expect(total == 40 && completed == output.count && failed == errors.count && completed + failed == 40)
            #expect(!output.isEmpty && !errors.isEmpty)
            var statuses = Set<Int>()
            for line in errors {
                #expect(line["error"] is NSNull)
                let response = try #require(line["response"] as? [String: Any])
                let status = try #require(response["status_code"] as? Int)
                statuses.insert(status)
                let error = try #require((response["body"] as? [String: Any])?["error"] as? [String: Any])
                #expect(error["message"] is String && error.keys.contains("code"))
            }
            #expect(statuses == [500, 503])
            let ids = Set((output + errors).compactMap { $0["custom_id"] as? String })
            #expect(ids == Set((1...40).map { "req-\($0)" }))
        }

        /// A batch whose lines all failed is `completed` with no output file (batch-api.md §4).
        @Test func allFailedIsCompletedWithoutOutputFile() async throws {
            var settings = Support.settings()
            settings.faults.statusRates = [500: 1]
            let (batch, output, errors) = try await run(settings, lines: 5)
            #expect(batch["status"] as? String == "completed")
            #expect(batch["output_file_id"] is NSNull)
            #expect(batch["error_file_id"] is String)
            #expect(Support.counts(batch) == (5, 0, 5))
            #expect(output.isEmpty && errors.count == 5)
        }

        /// The spend budget applies to batch lines: once spent, lines answer 429 `insufficient_quota`.
        @Test func spendBudgetAppliesToLines() async throws {
            var settings = Support.settings()
            settings.spendBudgetUSD = 1e-9
            let (batch, _, errors) = try await run(settings, lines: 5)
            let (_, completed, failed) = Support.counts(batch)
            #expect(completed >= 1 && failed >= 1 && completed + failed == 5)
            let response = try #require(errors.first?["response"] as? [String: Any])
            #expect(response["status_code"] as? Int == 429)
        }

        /// Same seed, same batch: the same output bytes (ids, order, text).
        @Test func deterministicPerSeed() async throws {
            let first = try await run(Support.settings(seed: 3), lines: 20)
            let second = try await run(Support.settings(seed: 3), lines: 20)
            let other = try await run(Support.settings(seed: 4), lines: 20)
            func order(_ lines: [[String: Any]]) -> [String] { lines.compactMap { $0["id"] as? String } }
            #expect(order(first.output) == order(second.output))
            #expect(first.batch["completed_at"] as? Int == second.batch["completed_at"] as? Int)
            #expect(order(first.output) != order(other.output))
        }

        /// The line's latency sample (the mock's latency model) adds to its virtual finish time.
        @Test func lineLatencyDelaysCompletion() async throws {
            var settings = Support.settings()
            settings.latency.base = .constant(.seconds(500))
            let clock = ManualBatchClock(start: Support.start)
            let (app, _) = try MockTestSupport.application(settings, batchClock: clock)
            try await app.test(.router) { client in
                let file = try await Support.upload(client, Support.chatFile(3))
                let id = try #require(try await Support.create(client, file: file)["id"] as? String)
                clock.advance(110 + 3 + 400)  // every line started, none finished
                #expect(Support.counts(try await Support.batch(client, id)) == (3, 0, 0))
                clock.advance(200)
                #expect(Support.counts(try await Support.batch(client, id)) == (3, 3, 0))
            }
        }
    }
}
