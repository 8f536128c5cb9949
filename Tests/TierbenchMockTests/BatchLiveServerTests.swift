import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import TierbenchCore
import Testing

@testable import TierbenchMock

extension MockTests {
    /// The Files and Batches APIs on a real `MockServer` (fast path installed) with an injected manual clock:
    /// an upload larger than the generation routes' 4 MiB body cap, auth, and `stats().batchesCreated`.
    @Suite struct BatchLiveServerTests {
        typealias Support = BatchTestSupport

        @Test func largeUploadAndLifecycleOnARealServer() async throws {
            let clock = ManualBatchClock(start: Support.start)
            var settings = Support.settings()
            settings.apiKeys = ["sk-test-batch-0000"]
            let server = MockServer(settings: settings, batchClock: clock)
            let port = try await server.start()
            let base = "http://127.0.0.1:\(port)/v1"
            do {
                // 6 MiB: more than --max-body (4 MiB), which binds the generation routes only.
                let content = Support.chatFile(3) + String(repeating: "\n", count: 6 << 20)
                var upload = HTTPClientRequest(url: base + "/files")
                upload.method = .POST
                upload.headers.add(name: "content-type", value: "multipart/form-data; boundary=tierbenchBoundary42")
                upload.headers.add(name: "authorization", value: "Bearer sk-test-batch-0000")
                upload.body = .bytes(Support.multipart(content))
                let uploaded = try await HTTPClient.shared.execute(upload, timeout: .seconds(30))
                #expect(uploaded.status == .ok)
                let file = try MockTestSupport.object(try await uploaded.body.collect(upTo: 1 << 20))
                let fileID = try #require(file["id"] as? String)
                #expect(file["bytes"] as? Int == content.utf8.count)

                // No key: 401, as on every API route.
                let anonymous = try await HTTPClient.shared.execute(
                    HTTPClientRequest(url: base + "/batches"), timeout: .seconds(5))
                #expect(anonymous.status == .unauthorized)

                var create = LiveServerTests.post(
                    base + "/batches",
                    #"{"input_file_id":"\#(fileID)","endpoint":"/v1/chat/completions","completion_window":"24h"}"#)
                create.headers.add(name: "authorization", value: "Bearer sk-test-batch-0000")
                let created = try await HTTPClient.shared.execute(create, timeout: .seconds(10))
                #expect(created.status == .ok)
                let id = try #require(
                    try MockTestSupport.object(try await created.body.collect(upTo: 1 << 20))["id"] as? String)
                clock.advance(86_400)
                var get = HTTPClientRequest(url: base + "/batches/\(id)")
                get.headers.add(name: "authorization", value: "Bearer sk-test-batch-0000")
                let batch = try MockTestSupport.object(
                    try await HTTPClient.shared.execute(get, timeout: .seconds(10)).body.collect(upTo: 1 << 20))
                #expect(batch["status"] as? String == "completed")
                #expect(Support.counts(batch) == (3, 3, 0))
                #expect(server.stats().batchesCreated == 1)
                #expect(server.stats().batches.byStatus == ["completed": 1])
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        }
    }
}
