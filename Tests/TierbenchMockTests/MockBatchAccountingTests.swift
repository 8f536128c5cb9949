import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TierbenchCore
import Testing

@testable import TierbenchMock

extension MockTests {
    /// Review clean-ups of the Files and Batches APIs: the pending heap, monotonic metrics, virtual `created`.
    @Suite("Mock batches: accounting, ordering, limits and metrics") struct MockBatchAccountingTests {
        typealias Support = BatchTestSupport

        /// In-flight lines come out earliest finish first, ties in dispatch order.
        @Test func pendingLinesPopInFinishOrder() {
            var heap = PendingLines()
            var random = MockRandom(seed: 3)
            for order in 0..<500 {
                let finish = Double(Int(random.unit() * 50))
                heap.insert(.init(number: order, range: 0..<0, finish: finish, order: order, ok: true, bytes: ByteBuffer()))
            }
            let drained = heap.drain()
            #expect(drained.count == 500 && heap.isEmpty)
            let sorted = drained.sorted { $0.finish < $1.finish || ($0.finish == $1.finish && $0.order < $1.order) }
            #expect(drained.map(\.order) == sorted.map(\.order))
        }

        /// The counts reported to /metrics only move forward: an older snapshot adds nothing and undoes nothing.
        @Test func reportedBatchTotalsOnlyMoveForward() {
            var reported = BatchCounters()
            var newer = BatchCounters()
            newer.linesSucceeded = 7
            newer.filesUploaded = 2
            var older = BatchCounters()
            older.linesSucceeded = 3
            older.linesFailed = 1
            #expect(reported.advance(to: newer).linesSucceeded == 7)
            let added = reported.advance(to: older)
            #expect(added.linesSucceeded == 0 && added.filesUploaded == 0 && added.linesFailed == 1)
            #expect(reported.linesSucceeded == 7 && reported.filesUploaded == 2 && reported.linesFailed == 1)
        }

        /// A line body's `created` is the line's virtual start second, not the wall clock.
        @Test func lineCreatedIsTheVirtualStart() async throws {
            let clock = ManualBatchClock(start: Support.start)
            var settings = Support.settings()
            settings.batch.lineLatency = false
            let (app, _) = try MockTestSupport.application(settings, batchClock: clock)
            try await app.test(.router) { client in
                let file = try await Support.upload(client, Support.chatFile(5))
                let id = try #require(try await Support.create(client, file: file)["id"] as? String)
                clock.advance(1_000)
                let done = try await Support.batch(client, id)
                let lines = try await Support.lines(client, file: try #require(done["output_file_id"] as? String))
                let start = Int(Support.start)
                for line in lines {
                    let body = (line["response"] as? [String: Any])?["body"] as? [String: Any]
                    let created = body?["created"] as? Int ?? 0
                    #expect(created >= start + 110 && created <= start + 115)
                }
            }
        }

        /// Batch lines are charged the Batch API price (half the sync price), toward the budget and in the
        /// batch stats, which count the lines that finished OK.
        @Test func batchLinesSpendAtTheBatchPrice() async throws {
            let clock = ManualBatchClock(start: Support.start)
            let (app, runtime) = try MockTestSupport.application(Support.settings(), batchClock: clock)
            try await app.test(.router) { client in
                let file = try await Support.upload(client, Support.chatFile(8))
                let id = try #require(try await Support.create(client, file: file)["id"] as? String)
                clock.advance(1_000)
                let done = try await Support.batch(client, id)
                #expect(done["status"] as? String == "completed")
                let usage = try #require(done["usage"] as? [String: Any])
                let model = try #require(runtime.models.model("gpt-4o-mini"))
                let full = model.cost(
                    promptTokens: usage["input_tokens"] as? Int ?? 0, cachedTokens: 0,
                    completionTokens: usage["output_tokens"] as? Int ?? 0, batch: false)
                #expect(full > 0)
                let stats = runtime.batches.stats(responder: MockResponder(runtime: runtime))
                #expect(abs(stats.spendUSD - full * 0.5) < 1e-12)
                #expect(abs(runtime.spentUSD - full * 0.5) < 1e-12)
            }
        }

        static let boundary = "tierbenchBoundary42"

        /// A form of `parts` plain fields.
        @Sendable static func form(_ parts: Int, header: String = "", afterDelimiter: String = "\r\n") -> ByteBuffer {
            var text = ""
            for index in 0..<parts {
                text += "--\(boundary)\(afterDelimiter)Content-Disposition: form-data; name=\"f\(index)\"\r\n"
                text += header + "\r\nvalue\r\n"
            }
            return ByteBuffer(string: text + "--\(boundary)--\r\n")
        }

        /// Multipart forms: at most 16 parts and 16 KiB of headers per part, a delimiter followed by `--` or a line
        /// end, and an echoed Content-Type cut to 200 characters.
        @Test func multipartIsBounded() async throws {
            let boundary = Self.boundary
            #expect(try MultipartForm.parse(Self.form(16), boundary: boundary).parts.count == 16)
            #expect(throws: MockAPIError.self) { try MultipartForm.parse(Self.form(17), boundary: boundary) }
            let big = "X-Padding: " + String(repeating: "p", count: 17 << 10) + "\r\n"
            #expect(throws: MockAPIError.self) { try MultipartForm.parse(Self.form(1, header: big), boundary: boundary) }
            #expect(throws: MockAPIError.self) {
                try MultipartForm.parse(Self.form(1, afterDelimiter: "XYZ\r\n"), boundary: boundary)
            }
            #expect(MockResponder.echo(String(repeating: "t", count: 5_000)).count == 201)

            let (app, _) = try MockTestSupport.application(Support.settings())
            try await app.test(.router) { client in
                let type = "text/plain; " + String(repeating: "z", count: 5_000)
                try await client.execute(
                    uri: "/v1/files", method: .post, headers: [.contentType: type], body: Self.form(1)
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(response.body.readableBytes < 1_000)
                }
            }
        }

        /// Batch lines charge no sync bucket, so with `correct_to_actual_usage` they refund none either: the sync
        /// token bucket of the same (empty) key and model is where the sync request left it.
        @Test func batchLinesRefundNoSyncBucket() async throws {
            let clock = ManualBatchClock(start: Support.start)
            var settings = Support.settings()
            settings.limits.tpd = 1_000_000
            settings.correctToActualUsage = true
            let (app, runtime) = try MockTestSupport.application(settings, batchClock: clock)
            let remaining: @Sendable () -> Int? = {
                let now = MonotonicClock.now()
                return runtime.limiter.group(apiKey: "", model: "gpt-4o-mini", now: now)?.peek(now: now).remainingTokens
            }
            let body = #""model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}],"max_tokens":2000"#
            try await app.test(.router) { client in
                try await client.execute(
                    uri: "/v1/chat/completions", method: .post, headers: MockTestSupport.jsonHeaders,
                    body: ByteBuffer(string: "{\(body)}")
                ) { #expect($0.status == .ok) }
                let before = try #require(remaining())
                let lines = (1...20).map {
                    #"{"custom_id":"r\#($0)","method":"POST","url":"/v1/chat/completions","body":{\#(body)}}"#
                }
                let file = try await Support.upload(client, lines.joined(separator: "\n") + "\n")
                let id = try #require(try await Support.create(client, file: file)["id"] as? String)
                clock.advance(1_000)
                #expect(try await Support.batch(client, id)["status"] as? String == "completed")
                let after = try #require(remaining())
                #expect(before < 1_000_000 && after - before <= 2)
            }
        }

        /// A batch cancelled while validating frees its good lines' ranges at once (it never runs them).
        @Test func cancelWhileValidatingFreesRanges() throws {
            let clock = ManualBatchClock(start: Support.start)
            let (_, runtime) = try MockTestSupport.application(Support.settings(), batchClock: clock)
            let responder = MockResponder(runtime: runtime)
            let store = runtime.batches
            let file = try store.upload(
                ByteBuffer(string: Support.chatFile(30)), filename: "in.jsonl", purpose: "batch", expiresAfter: nil,
                responder: responder)
            let object = try store.create(
                .init(inputFileID: file.id, endpoint: "/v1/chat/completions"), responder: responder)
            #expect(store.state.withLock { $0.batches[object.id]?.pendingRanges.count } == 30)
            _ = try store.cancel(object.id, responder: responder)
            #expect(store.state.withLock { $0.batches[object.id]?.pendingRanges.count } == 0)
            clock.advance(1_000)
            #expect(store.batch(object.id, responder: responder)?.status == .cancelled)
        }
    }
}
