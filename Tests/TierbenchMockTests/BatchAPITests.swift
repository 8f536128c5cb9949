import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TierbenchCore
import Testing

@testable import TierbenchMock

extension MockTests {
    /// The Files and Batches routes: shapes, 400s, pagination, limits, multipart edge cases.
    @Suite struct BatchAPITests {
        typealias Support = BatchTestSupport

        @Test func fileRoutes() async throws {
            let clock = ManualBatchClock(start: Support.start)
            let (app, runtime) = try MockTestSupport.application(Support.settings(), batchClock: clock)
            let content = Support.chatFile(2)
            try await app.test(.router) { client in
                let id = try await client.execute(
                    uri: "/v1/files", method: .post, headers: Support.multipartHeaders(),
                    body: Support.multipart(content, extraParts: [("expires_after[anchor]", "created_at"), ("expires_after[seconds]", "3600")])
                ) { response in
                    #expect(response.status == .ok)
                    let file = try MockTestSupport.object(response.body)
                    #expect(file["object"] as? String == "file")
                    #expect(file["bytes"] as? Int == content.utf8.count)
                    #expect(file["filename"] as? String == "input.jsonl")
                    #expect(file["purpose"] as? String == "batch")
                    #expect(file["status"] as? String == "processed")
                    #expect(file["expires_at"] as? Int == Int(Support.start) + 3_600)
                    let id = try #require(file["id"] as? String)
                    #expect(id.hasPrefix("file-") && id.count == 27)
                    return id
                }
                try await client.execute(
                    uri: "/v1/files/\(id)/content", method: .get, headers: [.accept: "application/binary"]
                ) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == content)
                }
                try await client.execute(uri: "/v1/files?purpose=batch_output", method: .get) { response in
                    let list = try MockTestSupport.object(response.body)
                    #expect((list["data"] as? [Any])?.isEmpty == true && list["has_more"] as? Bool == false)
                }
                try await client.execute(uri: "/v1/files?purpose=batch&limit=1", method: .get) { response in
                    let list = try MockTestSupport.object(response.body)
                    #expect(list["object"] as? String == "list" && list["first_id"] as? String == id)
                }
                try await client.execute(uri: "/v1/files/\(id)", method: .delete) { response in
                    #expect(response.status == .ok)
                    let deleted = try MockTestSupport.object(response.body)
                    #expect(deleted["id"] as? String == id && deleted["deleted"] as? Bool == true)
                    #expect(deleted["object"] as? String == "file")
                }
                try await client.execute(uri: "/v1/files/\(id)", method: .get) { response in
                    #expect(response.status == .notFound)
                    _ = try MockTestSupport.errorObject(response.body)
                }
            }
            #expect(runtime.snapshot().batches.filesUploaded == 1)
            #expect(runtime.snapshot().byRoute["files"] == 6)
        }

        @Test func multipartEdgeCases() async throws {
            // Quoted boundary, a preamble, escaped quotes in the filename, parameters in any order.
            let body = "preamble\r\n--a b\"c\r\nContent-Disposition: form-data; filename=\"x \\\"y\\\".jsonl\"; name=file\r\n\r\n"
                + "line1\r\nline2\r\n--a b\"c\r\ncontent-disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--a b\"c--\r\n"
            let boundary = try #require(MultipartForm.boundary(contentType: #"multipart/form-data; boundary="a b"c""#))
            #expect(boundary == #"a b"c"#)
            let form = try MultipartForm.parse(ByteBuffer(string: body), boundary: boundary)
            #expect(form.parts.map(\.name) == ["file", "purpose"])
            #expect(form.part("file")?.filename == #"x "y".jsonl"#)
            #expect(form.part("file")?.text == "line1\r\nline2")
            #expect(form.part("purpose")?.text == "batch")
            #expect(MultipartForm.boundary(contentType: "multipart/form-data; charset=utf-8; boundary=xyz") == "xyz")
            #expect(MultipartForm.boundary(contentType: "application/json") == nil)
            #expect(MultipartForm.boundary(contentType: "multipart/form-data") == nil)
            #expect(throws: MockAPIError.self) { try MultipartForm.parse(ByteBuffer(string: "--xyz\r\nno end"), boundary: "xyz") }
            #expect(throws: MockAPIError.self) { try MultipartForm.parse(ByteBuffer(string: "nothing"), boundary: "xyz") }

            let (app, _) = try MockTestSupport.application(Support.settings(), batchClock: ManualBatchClock())
            try await app.test(.router) { client in
                for (headers, body, param) in [
                    (Support.multipartHeaders(), Support.multipart("x", purpose: nil), "purpose"),
                    (Support.multipartHeaders(), ByteBuffer(string: "--tierbenchBoundary42--\r\n"), "file"),
                    (MockTestSupport.jsonHeaders, ByteBuffer(string: "{}"), nil),
                    (Support.multipartHeaders(), ByteBuffer(string: "--tierbenchBoundary42\r\nbroken"), nil),
                    (Support.multipartHeaders(), Support.multipart("x", purpose: "nonsense"), "purpose"),
                ] as [(HTTPFields, ByteBuffer, String?)] {
                    try await client.execute(uri: "/v1/files", method: .post, headers: headers, body: body) { response in
                        #expect(response.status == .badRequest, "\(String(buffer: response.body))")
                        let error = try MockTestSupport.errorObject(response.body)
                        #expect(error["param"] as? String == param)
                    }
                }
            }
        }

        /// Over the file limit: 413 with OpenAI's text, naming the first line's model.
        @Test func fileTooLarge() async throws {
            var settings = Support.settings()
            settings.batch.maxFileBytes = 1_000
            let (app, _) = try MockTestSupport.application(settings, batchClock: ManualBatchClock())
            try await app.test(.router) { client in
                try await client.execute(
                    uri: "/v1/files", method: .post, headers: Support.multipartHeaders(),
                    body: Support.multipart(Support.chatFile(20, model: "gpt-4o"))
                ) { response in
                    #expect(response.status == .contentTooLarge)
                    let error = try MockTestSupport.errorObject(response.body)
                    #expect(error["message"] as? String == "The batch input file is larger than the 1000 maximum for the gpt-4o model")
                }
            }
            // Bodies beyond the generation routes' 4 MiB cap are accepted for uploads.
            var wide = Support.settings()
            wide.batch.maxFileBytes = 8 << 20
            let (bigApp, _) = try MockTestSupport.application(wide, batchClock: ManualBatchClock())
            try await bigApp.test(.router) { client in
                let content = Support.chatFile(1) + String(repeating: "\n", count: 5 << 20)
                try await client.execute(
                    uri: "/v1/files", method: .post, headers: Support.multipartHeaders(), body: Support.multipart(content)
                ) { response in
                    #expect(response.status == .ok)
                    let file = try MockTestSupport.object(response.body)
                    #expect(file["bytes"] as? Int == content.utf8.count)
                }
            }
        }

        /// The synchronous 400s of `POST /v1/batches` (batch-api.md §3).
        @Test func createValidation() async throws {
            let (app, _) = try MockTestSupport.application(Support.settings(), batchClock: ManualBatchClock())
            let pairs = (1...17).map { #""k\#($0)":"v""# }.joined(separator: ",")
            let cases: [(String, String?, String?)] = [
                (#"{"input_file_id":"f","endpoint":"/v1/invalid/endpoint","completion_window":"24h"}"#, "endpoint", "invalid_value"),
                (#"{"input_file_id":"f","endpoint":"/v1/chat/completions","completion_window":"1h"}"#, "completion_window", "invalid_value"),
                (#"{"input_file_id":"f","endpoint":"/v1/chat/completions","completion_window":""}"#, "completion_window", "invalid_value"),
                (#"{"input_file_id":"f","endpoint":"/v1/chat/completions","completion_window":"24h","metadata":{"tags":["a"]}}"#, "metadata.tags", "invalid_type"),
                (#"{"input_file_id":"f","endpoint":"/v1/chat/completions","completion_window":"24h","metadata":{\#(pairs)}}"#, "metadata", "object_above_max_properties"),
                (#"{"endpoint":"/v1/chat/completions","completion_window":"24h"}"#, "input_file_id", "missing_required_parameter"),
                (#"{"input_file_id":"f","endpoint":"/v1/chat/completions","completion_window":"24h","output_expires_after":{"anchor":"created_at","seconds":10}}"#, "output_expires_after.seconds", "integer_below_min_value"),
                ("not json", nil, nil),
            ]
            try await app.test(.router) { client in
                for (body, param, code) in cases {
                    try await client.execute(
                        uri: "/v1/batches", method: .post, headers: MockTestSupport.jsonHeaders, body: ByteBuffer(string: body)
                    ) { response in
                        #expect(response.status == .badRequest, "\(body)")
                        let error = try MockTestSupport.errorObject(response.body)
                        #expect(error["param"] as? String == param, "\(body)")
                        #expect(error["code"] as? String == code, "\(body)")
                    }
                }
                try await client.execute(
                    uri: "/v1/batches", method: .post, headers: MockTestSupport.jsonHeaders,
                    body: ByteBuffer(string: cases[0].0)
                ) { response in
                    let message = try MockTestSupport.errorObject(response.body)["message"] as? String ?? ""
                    #expect(message.hasPrefix("Invalid value: '/v1/invalid/endpoint'. Supported values are: '/v1/"))
                }
                try await client.execute(uri: "/v1/batches/batch_unknown", method: .get) { response in
                    #expect(response.status == .notFound)
                }
            }
        }

        /// Newest first, `limit`, `after` = the last id of the previous page, `has_more`.
        @Test func listPagination() async throws {
            let clock = ManualBatchClock(start: Support.start)
            let (app, _) = try MockTestSupport.application(Support.settings(), batchClock: clock)
            try await app.test(.router) { client in
                let file = try await Support.upload(client, Support.chatFile(1))
                var ids: [String] = []
                for _ in 0..<5 {
                    ids.append(try #require(try await Support.create(client, file: file)["id"] as? String))
                    clock.advance(1)
                }
                var seen: [String] = []
                var after: String?
                var pages = 0
                while pages < 10 {
                    pages += 1
                    let uri = "/v1/batches?limit=2" + (after.map { "&after=\($0)" } ?? "")
                    let page = try await client.execute(uri: uri, method: .get) { try MockTestSupport.object($0.body) }
                    let data = try #require(page["data"] as? [[String: Any]])
                    let pageIDs = data.compactMap { $0["id"] as? String }
                    #expect(page["first_id"] as? String == pageIDs.first && page["last_id"] as? String == pageIDs.last)
                    seen += pageIDs
                    guard page["has_more"] as? Bool == true else { break }
                    after = pageIDs.last
                }
                #expect(pages == 3)
                #expect(seen == ids.reversed())
                try await client.execute(uri: "/v1/batches?limit=101", method: .get) { response in
                    #expect(response.status == .badRequest)
                }
                let defaultPage = try await client.execute(uri: "/v1/batches", method: .get) { try MockTestSupport.object($0.body) }
                #expect((defaultPage["data"] as? [Any])?.count == 5 && defaultPage["has_more"] as? Bool == false)
            }
        }

        /// More than `creations_per_hour` creations within an hour of virtual time: 429.
        @Test func createRateLimit() async throws {
            let clock = ManualBatchClock(start: Support.start)
            var settings = Support.settings()
            settings.batch.creationsPerHour = 3
            let (app, runtime) = try MockTestSupport.application(settings, batchClock: clock)
            try await app.test(.router) { client in
                let file = try await Support.upload(client, Support.chatFile(1))
                for _ in 0..<3 { _ = try await Support.create(client, file: file) }
                let body = ByteBuffer(string: #"{"input_file_id":"\#(file)","endpoint":"/v1/chat/completions","completion_window":"24h"}"#)
                try await client.execute(uri: "/v1/batches", method: .post, headers: MockTestSupport.jsonHeaders, body: body) { response in
                    #expect(response.status == .tooManyRequests)
                    #expect(response.headers[.retryAfter] != nil)
                    let error = try MockTestSupport.errorObject(response.body)
                    #expect(error["code"] as? String == "rate_limit_exceeded")
                }
                clock.advance(3_600)
                _ = try await Support.create(client, file: file)
            }
            #expect(runtime.snapshot().batchesCreated == 4)
        }

        /// `/metrics` carries the batch gauges and counters.
        @Test func metrics() async throws {
            let clock = ManualBatchClock(start: Support.start)
            let (app, _) = try MockTestSupport.application(Support.settings(), batchClock: clock)
            try await app.test(.router) { client in
                let file = try await Support.upload(client, Support.chatFile(3))
                _ = try await Support.create(client, file: file)
                clock.advance(1_000)
                try await client.execute(uri: "/metrics", method: .get) { response in
                    let text = String(buffer: response.body)
                    #expect(text.contains(#"tierbench_mock_batches{status="completed"} 1"#))
                    #expect(text.contains(#"tierbench_mock_batch_lines_total{outcome="ok"} 3"#))
                    #expect(text.contains("tierbench_mock_files_total 1"))
                }
            }
        }

        /// A time-scaled batch on the real clock finishes in well under 5 s of wall time.
        @Test func realClockSmoke() async throws {
            var settings = Support.settings()
            settings.batch.timeScale = 1_000
            settings.batch.linesPerSecond = 50
            let (app, _) = try MockTestSupport.application(settings)
            try await app.test(.router) { client in
                let file = try await Support.upload(client, Support.chatFile(20))
                let id = try #require(try await Support.create(client, file: file)["id"] as? String)
                let deadline = ContinuousClock.now + .seconds(5)
                var status = ""
                while ContinuousClock.now < deadline {
                    status = try await Support.batch(client, id)["status"] as? String ?? ""
                    if status == "completed" { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(status == "completed")
            }
        }
    }
}
