import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TierbenchCore
import Testing

@testable import TierbenchMock

/// Helpers for the Files and Batches tests: deterministic batch settings, JSONL and multipart builders, and calls
/// against a router-test client.
enum BatchTestSupport {
    /// A fixed time model: validating 10 s, queue 100 s, 1 line/s, finalizing 2 s, cancelling 30 s, no stalls.
    static func settings(seed: UInt64 = 7) -> MockSettings {
        var settings = MockSettings()
        settings.seed = seed
        settings.batch.validateMin = .seconds(10)
        settings.batch.validateMax = .seconds(10)
        settings.batch.validatePerMB = .zero
        settings.batch.queueDelayMedian = .seconds(100)
        settings.batch.queueDelaySigma = 0
        settings.batch.stallProbability = 0
        settings.batch.linesPerSecond = 1
        settings.batch.finalizeMin = .seconds(2)
        settings.batch.finalizeMax = .seconds(2)
        settings.batch.cancelMin = .seconds(30)
        settings.batch.cancelMax = .seconds(30)
        return settings
    }

    /// The manual clock's start: a whole second, so stamps are exact.
    static let start = 1_767_225_600.0

    /// One chat line.
    static func chatLine(_ id: String, model: String = "gpt-4o-mini", content: String = "Say hello", extra: String = "") -> String {
        #"{"custom_id":"\#(id)","method":"POST","url":"/v1/chat/completions","body":{"model":"\#(model)","messages":[{"role":"user","content":"\#(content)"}],"max_tokens":5\#(extra)}}"#
    }

    /// `count` chat lines `req-1` … `req-count`.
    static func chatFile(_ count: Int, model: String = "gpt-4o-mini", content: String = "Say hello") -> String {
        (1...count).map { chatLine("req-\($0)", model: model, content: content) }.joined(separator: "\n") + "\n"
    }

    /// A multipart body with a `file` part and a `purpose` part.
    static func multipart(
        _ content: String, boundary: String = "tierbenchBoundary42", filename: String = "input.jsonl",
        purpose: String? = "batch", extraParts: [(String, String)] = []
    ) -> ByteBuffer {
        var text = ""
        text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\n"
        text += "Content-Type: application/octet-stream\r\n\r\n\(content)\r\n"
        if let purpose { text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n\(purpose)\r\n" }
        for (name, value) in extraParts {
            text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        text += "--\(boundary)--\r\n"
        return ByteBuffer(string: text)
    }

    static func multipartHeaders(_ boundary: String = "tierbenchBoundary42") -> HTTPFields {
        [.contentType: "multipart/form-data; boundary=\(boundary)"]
    }

    /// Uploads `content` and returns the file id.
    static func upload(_ client: some TestClientProtocol, _ content: String) async throws -> String {
        try await client.execute(
            uri: "/v1/files", method: .post, headers: multipartHeaders(), body: multipart(content)
        ) { response in
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            return try #require(try MockTestSupport.object(response.body)["id"] as? String)
        }
    }

    /// Creates a batch and returns its JSON.
    static func create(
        _ client: some TestClientProtocol, file: String, endpoint: String = "/v1/chat/completions", extra: String = ""
    ) async throws -> [String: Any] {
        try await client.execute(
            uri: "/v1/batches", method: .post, headers: MockTestSupport.jsonHeaders,
            body: ByteBuffer(
                string: #"{"input_file_id":"\#(file)","endpoint":"\#(endpoint)","completion_window":"24h"\#(extra)}"#)
        ) { response in
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            return try MockTestSupport.object(response.body)
        }
    }

    /// `GET /v1/batches/{id}`.
    static func batch(_ client: some TestClientProtocol, _ id: String) async throws -> [String: Any] {
        try await client.execute(uri: "/v1/batches/\(id)", method: .get) { response in
            #expect(response.status == .ok)
            return try MockTestSupport.object(response.body)
        }
    }

    /// The lines of a file's content, each decoded.
    static func lines(_ client: some TestClientProtocol, file: String) async throws -> [[String: Any]] {
        try await client.execute(uri: "/v1/files/\(file)/content", method: .get) { response in
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/octet-stream")
            return try String(buffer: response.body).split(separator: "\n").map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            }
        }
    }

    /// `request_counts` as (total, completed, failed).
    static func counts(_ batch: [String: Any]) -> (Int, Int, Int) {
        let counts = batch["request_counts"] as? [String: Any] ?? [:]
        return (counts["total"] as? Int ?? -1, counts["completed"] as? Int ?? -1, counts["failed"] as? Int ?? -1)
    }
}
