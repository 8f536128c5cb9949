import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TierbenchCore
import Testing

@testable import TierbenchMock

extension MockTests {
    /// Fixes from the Files and Batches review: BOM runs, cancelling, usage, slow first byte, long lines, sliced
    /// advancing, clock clamping.
    @Suite("Mock batches: cancelling, usage, slow lines and hostile input") struct MockBatchHostileInputTests {
        typealias Support = BatchTestSupport

        /// A line of many byte order marks is unreadable, without recursing once per mark (349k used to overflow
        /// the stack); one mark is skipped and the body's range accounts for it.
        @Test func byteOrderMarkRunDoesNotRecurse() {
            var bytes = [UInt8](repeating: 0, count: 0)
            for _ in 0..<349_000 { bytes += [0xEF, 0xBB, 0xBF] }
            bytes += Array(#"{"custom_id":"a","body":{}}"#.utf8)
            #expect(bytes.withUnsafeBytes { BatchLineFields.fields($0) } == nil)
            let one: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(#"{"custom_id":"a","body":{"x":1}}"#.utf8)
            let fields = one.withUnsafeBytes { BatchLineFields.fields($0) }
            #expect(fields?.customID == "a")
            if let body = fields?.body { #expect(String(decoding: one[body], as: UTF8.self) == #"{"x":1}"#) }
        }

        /// At cancel no new line starts: lines finish when they start (no latency), so the completed count at the
        /// end of cancelling is the count at the cancel.
        @Test func cancellingStartsNoNewLine() async throws {
            let clock = ManualBatchClock(start: Support.start)
            var settings = Support.settings()
            settings.batch.lineLatency = false
            let (app, _) = try MockTestSupport.application(settings, batchClock: clock)
            try await app.test(.router) { client in
                let file = try await Support.upload(client, Support.chatFile(100))  // 100 lines over 100 s
                let id = try #require(try await Support.create(client, file: file)["id"] as? String)
                clock.advance(110 + 40)
                let cancelling = try await client.execute(uri: "/v1/batches/\(id)/cancel", method: .post) { response in
                    try MockTestSupport.object(response.body)
                }
                let (_, atCancel, _) = Support.counts(cancelling)
                #expect(atCancel > 0 && atCancel < 100)
                clock.advance(30)
                let cancelled = try await Support.batch(client, id)
                #expect(cancelled["status"] as? String == "cancelled")
                #expect(Support.counts(cancelled).1 == atCancel)
            }
        }

        /// Cancelling never outlasts the completion window: it ends at `expires_at` at the latest.
        @Test func cancellingEndsByExpiry() async throws {
            let clock = ManualBatchClock(start: Support.start)
            var settings = Support.settings()
            settings.batch.cancelMin = .seconds(2 * 86_400)
            settings.batch.cancelMax = .seconds(2 * 86_400)
            let (app, _) = try MockTestSupport.application(settings, batchClock: clock)
            try await app.test(.router) { client in
                let file = try await Support.upload(client, Support.chatFile(3))
                let id = try #require(try await Support.create(client, file: file)["id"] as? String)
                try await client.execute(uri: "/v1/batches/\(id)/cancel", method: .post) { #expect($0.status == .ok) }
                clock.advance(86_400)
                let batch = try await Support.batch(client, id)
                #expect(batch["status"] as? String == "cancelled")
                #expect(batch["cancelled_at"] as? Int == Int(Support.start) + 86_400)
            }
        }

        /// Usage counts lines that finished OK: lines in flight at the cancel (500 s latency, 30 s cancelling)
        /// never finish, so usage stays zero; a completed batch's usage is the sum over its output file.
        @Test func usageCountsFinishedLinesOnly() async throws {
            let clock = ManualBatchClock(start: Support.start)
            var settings = Support.settings()
            settings.latency.base = .constant(.seconds(500))
            let (app, _) = try MockTestSupport.application(settings, batchClock: clock)
            try await app.test(.router) { client in
                let file = try await Support.upload(client, Support.chatFile(20))
                let id = try #require(try await Support.create(client, file: file)["id"] as? String)
                clock.advance(110 + 5)
                try await client.execute(uri: "/v1/batches/\(id)/cancel", method: .post) { #expect($0.status == .ok) }
                clock.advance(30)
                let cancelled = try await Support.batch(client, id)
                #expect(cancelled["status"] as? String == "cancelled")
                #expect(Support.counts(cancelled).1 == 0)
                let usage = cancelled["usage"] as? [String: Any] ?? [:]
                #expect((usage["input_tokens"] as? Int ?? 0) == 0 && (usage["output_tokens"] as? Int ?? 0) == 0)

                let other = try #require(try await Support.create(client, file: file)["id"] as? String)
                clock.advance(2_000)
                let done = try await Support.batch(client, other)
                #expect(done["status"] as? String == "completed")
                let lines = try await Support.lines(client, file: try #require(done["output_file_id"] as? String))
                var sum = (0, 0)
                for line in lines {
                    let body = (line["response"] as? [String: Any])?["body"] as? [String: Any]
                    let lineUsage = body?["usage"] as? [String: Any] ?? [:]
                    sum.0 += lineUsage["prompt_tokens"] as? Int ?? 0
                    sum.1 += lineUsage["completion_tokens"] as? Int ?? 0
                }
                let total = done["usage"] as? [String: Any] ?? [:]
                #expect(sum.0 > 0 && total["input_tokens"] as? Int == sum.0 && total["output_tokens"] as? Int == sum.1)
            }
        }

        /// A slow first byte only delays a batch line (as on the synchronous path): every line answers 200, later.
        @Test func slowFirstByteDelaysALine() async throws {
            let clock = ManualBatchClock(start: Support.start)
            var settings = Support.settings()
            settings.batch.lineLatency = false
            settings.faults.slowFirstByteRate = 1
            settings.faults.slowFirstByteDelay = .seconds(50)
            let (app, _) = try MockTestSupport.application(settings, batchClock: clock)
            try await app.test(.router) { client in
                let file = try await Support.upload(client, Support.chatFile(5))
                let id = try #require(try await Support.create(client, file: file)["id"] as? String)
                clock.advance(159)  // lines start in [110, 115] s and finish 50 s later
                #expect(Support.counts(try await Support.batch(client, id)).1 == 0)
                clock.advance(1_000)
                let done = try await Support.batch(client, id)
                #expect(done["status"] as? String == "completed")
                #expect(done["error_file_id"] is NSNull)
                let lines = try await Support.lines(client, file: try #require(done["output_file_id"] as? String))
                #expect(lines.count == 5)
                #expect(lines.allSatisfy { ($0["response"] as? [String: Any])?["status_code"] as? Int == 200 })
            }
        }

        /// Lines are found in one pass, and a line longer than the cap comes without its bytes, marked too long.
        @Test func longLinesAreCappedNotKept() {
            let long = String(repeating: "x", count: 3 << 20)
            let content = BatchFileContent(ByteBuffer(string: long + "\n{}\n" + long))
            var seen: [(Range<Int>, Int, Bool)] = []
            content.forEachLine { range, bytes, tooLong in seen.append((range, bytes.count, tooLong)) }
            #expect(seen.count == 3)
            #expect(seen.map(\.0) == [0..<(3 << 20), ((3 << 20) + 1)..<((3 << 20) + 3), ((3 << 20) + 4)..<((6 << 20) + 4)])
            #expect(seen.map(\.1) == [0, 2, 0] && seen.map(\.2) == [true, false, true])
            var small: [String] = []
            BatchFileContent(ByteBuffer(string: "a\nbb\n\nccc")).forEachLine(maxLineBytes: 2) { _, bytes, tooLong in
                small.append(tooLong ? "!" : String(decoding: bytes, as: UTF8.self))
            }
            #expect(small == ["a", "bb", "", "!"])
        }

        /// A line that does not start with `{`, or is over 1 MiB, is an invalid_json_line without being parsed.
        @Test func nonObjectAndOversizeLinesAreInvalidJSON() throws {
            let (_, runtime) = try MockTestSupport.application(Support.settings())
            let text = "[1,2]\n" + #"{"custom_id":"\#(String(repeating: "y", count: 2 << 20))"}"# + "\n"
                + Support.chatLine("ok") + "\n  \n"
            let verdict = BatchStore.validate(
                BatchFileContent(ByteBuffer(string: text)), endpoint: "/v1/chat/completions", runtime: runtime)
            #expect(verdict.errors.map(\.code) == ["invalid_json_line", "invalid_json_line"])
            #expect(verdict.errors.map(\.line) == [1, 2])
        }

        /// Advancing runs in slices: with a budget the advance stops after that many lines and reports it, and
        /// repeated slices reach exactly the state one unbounded advance reaches.
        @Test func advanceRunsInBoundedSlices() throws {
            func run(
                budget: Int, rate: Double = 100, until: Double = 1_000
            ) throws -> (slices: Int, completed: Int, failed: Int, status: BatchStatus?, errors: Int) {
                let clock = ManualBatchClock(start: Support.start)
                var settings = Support.settings()
                settings.batch.linesPerSecond = rate
                let (_, runtime) = try MockTestSupport.application(settings, batchClock: clock)
                let responder = MockResponder(runtime: runtime)
                let store = runtime.batches
                let file = try store.upload(
                    ByteBuffer(string: Support.chatFile(250)), filename: "in.jsonl", purpose: "batch",
                    expiresAfter: nil, responder: responder)
                let object = try store.create(
                    .init(inputFileID: file.id, endpoint: "/v1/chat/completions"), responder: responder)
                var slices = 0
                while !store.state.withLock({
                    BatchStore.advance(&$0, to: Support.start + until, responder: responder, budget: budget)
                }) {
                    slices += 1
                }
                let batch = store.state.withLock { $0.batches[object.id]?.object }
                let errors = store.state.withLock { state in
                    batch?.errorFileID.flatMap { state.files[$0]?.content.count } ?? 0
                }
                return (
                    slices, batch?.requestCounts.completed ?? -1, batch?.requestCounts.failed ?? -1, batch?.status,
                    errors)
            }
            let sliced = try run(budget: 40)
            let whole = try run(budget: .max)
            #expect(sliced.slices >= 250 / 40 && whole.slices == 0)
            #expect(sliced.completed == 250 && whole.completed == 250 && sliced.status == .completed)
            // An expiry writes its 200-odd error lines in slices too, to the same bytes.
            let expiring = try run(budget: 40, rate: 250.0 / (4 * 86_400), until: 86_400)
            let expiringWhole = try run(budget: .max, rate: 250.0 / (4 * 86_400), until: 86_400)
            #expect(expiring.status == .expired && expiringWhole.status == .expired)
            #expect(expiring.failed > 150 && expiring.completed + expiring.failed == 250)
            #expect(expiring.failed == expiringWhole.failed && expiring.errors == expiringWhole.errors)
            #expect(expiring.slices >= expiring.failed / 40)
        }

        /// An injected clock's NaN, infinities and huge values become safe virtual times.
        @Test func clockReadingsAreClamped() {
            #expect(BatchStore.clamped(.nan) == 0 && BatchStore.clamped(.infinity) == 0)
            #expect(BatchStore.clamped(1e300) == 4e12 && BatchStore.clamped(-1e300) == -4e12)
            #expect(BatchStore.clamped(Support.start) == Support.start)
        }
    }
}
