import Foundation
import TierbenchCore
import TierbenchCurl

extension BatchAPIClient {
    /// `POST /files` (multipart, `purpose=batch`) with the file at `path`, sent under `fileName`.
    ///
    /// On 429 or 503 it is sent again only after `GET /files` shows no file of that name (an earlier try that went
    /// through is returned instead); on a server that does not list files, only after a 429.
    public func uploadFile(path: String, fileName: String) async throws(BatchAPIError) -> FileObject {
        let call = "POST /v1/files"
        var random = SystemRandomNumberGenerator()
        let form = MultipartFormBody(
            boundary: MultipartFormBody.boundary(randomBytes: (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }),
            fields: [("purpose", "batch")], fileName: fileName)
        let request = try fileRequest(call: call, path: "/files", contentType: form.contentType, file: path,
                                      head: form.head, tail: form.tail)
        var attempt = 0
        while true {
            let answer: [UInt8]
            do {
                answer = try await perform(request, call: call, method: "POST", attempts: 1).2
            } catch {
                attempt += 1
                try await pauseBeforeResending(error, attempt: attempt)
                if let files = try? await listFiles() {
                    if let earlier = files.first(where: { $0.filename == fileName }) { return earlier }
                } else if error.status != 429 {
                    throw error
                }
                continue
            }
            let json = try parseAnswer(answer, call: call)
            do {
                return try FileObject(json: json)
            } catch {
                throw BatchAPIError(call: call, status: 200, message: redactor.redact(error.description))
            }
        }
    }

    /// `POST /batches` with `completion_window: "24h"`.
    ///
    /// On 429 or 503 a create tagged `tierbench_run` / `tierbench_shard` is sent again only after ``findBatch``
    /// found no batch with those tags (an earlier try that went through is returned instead); an untagged create is
    /// sent again only after a 429, never after a 5xx.
    public func createBatch(inputFileID: String, endpoint: String, metadata: [JSONValue.Member]) async throws(BatchAPIError)
        -> BatchObject
    {
        let body = JSONValue.object([
            .init("input_file_id", .string(inputFileID)), .init("endpoint", .string(endpoint)),
            .init("completion_window", .string(BatchLimits.completionWindow)), .init("metadata", .object(metadata)),
        ])
        let tag = metadata.first { $0.key == "tierbench_run" }?.value.stringValue
        let shard = metadata.first { $0.key == "tierbench_shard" }?.value.stringValue.flatMap { Int($0) }
        var attempt = 0
        while true {
            do {
                return try await batchCall("POST /v1/batches", method: "POST", path: "/batches",
                                           body: Array(body.jsonText.utf8), attempts: 1)
            } catch {
                attempt += 1
                guard let tag, let shard else {
                    guard error.status == 429 else { throw error }
                    try await pauseBeforeResending(error, attempt: attempt)
                    continue
                }
                try await pauseBeforeResending(error, attempt: attempt)
                if let earlier = try? await findBatch(runID: tag, shard: shard) { return earlier }
            }
        }
    }

    /// Throws `error` unless a POST may be tried again (429 or 503, tries left, not cancelled); else waits as the
    /// backoff and the server's `retry-after` say.
    private func pauseBeforeResending(_ error: BatchAPIError, attempt: Int) async throws(BatchAPIError) {
        guard error.status == 429 || error.status == 503, attempt < maxAttempts, !Task.isCancelled else { throw error }
        let wait = retry.delay(attempt: attempt - 1, random: Double.random(in: 0..<1), retryAfter: error.retryAfter)
        try? await Task.sleep(nanoseconds: UInt64(wait * 1e9))
    }
}
