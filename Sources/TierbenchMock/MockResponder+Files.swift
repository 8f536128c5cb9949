import HTTPTypes
import Hummingbird
import NIOCore
import TierbenchCore

/// The Files API: `POST /v1/files` (multipart), `GET /v1/files[/{id}[/content]]`, `DELETE /v1/files/{id}`.
extension MockResponder {
    /// Bytes a multipart upload may carry beyond its file's content (boundaries, part headers, other fields).
    static let multipartOverhead = 1 << 20

    /// Purposes `POST /v1/files` accepts (openai-api.md §5.1).
    static let filePurposes = ["assistants", "batch", "fine-tune", "vision", "user_data", "evals"]

    /// Answers a Files or Batches route; nil for every other route.
    func handleBatchAPI(
        _ request: inout Request, route: MockRoute, env: inout RequestEnvironment
    ) async throws(MockAPIError) -> APIOutcome? {
        let query = request.uri.queryParameters
        let store = runtime.batches
        let json: JSONValue
        switch route {
        case .fileUpload:
            json = try await upload(&request, env: env).json
        case .fileList:
            let limit = try Self.queryInt(query["limit"], "limit", range: 1...10_000) ?? 10_000
            let order = query["order"].map(String.init) ?? "desc"
            guard order == "asc" || order == "desc" else {
                throw .invalidValue("order", value: order, supported: ["asc", "desc"])
            }
            let (files, hasMore) = store.listFiles(
                purpose: query["purpose"].map(String.init), ascending: order == "asc",
                after: query["after"].map(String.init), limit: limit, responder: self)
            json = Self.list(files.map(\.json), ids: files.map(\.id), hasMore: hasMore)
        case .file(let id):
            guard let file = store.file(id, responder: self) else { throw .fileNotFound(id) }
            json = file.object.json
        case .fileDelete(let id):
            guard store.deleteFile(id, responder: self) else { throw .fileNotFound(id) }
            json = .object([.init("id", .string(id)), .init("object", .string("file")), .init("deleted", .bool(true))])
        case .fileContent(let id):
            guard let file = store.file(id, responder: self) else { throw .fileNotFound(id) }
            // Never a body shorter than its Content-Length: content that could not be written is a 500.
            guard !file.content.writeFailed else { throw MockAPIError.serverFault(status: 500) }
            var headers = env.headers(runtime: runtime, contentType: "application/octet-stream")
            headers.append(HTTPField(name: .contentLength, value: String(file.content.count)))
            let content = file.content
            // Read back piece by piece, so a spilled 50 MB output is never resident at once.
            let body = ResponseBody(contentLength: content.count) { writer in
                for piece in content.pieces() {
                    let bytes = content.read(piece)
                    // A short read (an I/O error) ends the response rather than send fewer bytes than promised.
                    guard bytes.readableBytes == piece.count else { throw MockAPIError.serverFault(status: 500) }
                    try await writer.write(bytes)
                }
                try await writer.finish(nil)
            }
            return .finished(Response(status: .ok, headers: headers, body: body))
        case .batchCreate, .batchList, .batch, .batchCancel:
            json = try await batchRoute(&request, route: route)
        default:
            return nil
        }
        return .finished(env.jsonReply(ByteBuffer(string: json.jsonText)).response(env: env, runtime: runtime))
    }

    /// A client's value as echoed in an error message: at most 200 characters.
    static func echo(_ value: String) -> String {
        value.count > 200 ? String(value.prefix(200)) + "…" : value
    }

    /// `POST /v1/files`: reads the multipart form (the body may be up to the batch file limit plus overhead).
    private func upload(_ request: inout Request, env: RequestEnvironment) async throws(MockAPIError) -> FileObject {
        let contentType = request.headers[.contentType] ?? ""
        guard let boundary = MultipartForm.boundary(contentType: contentType) else {
            throw MockAPIError(
                status: 400,
                message: "Invalid Content-Type header (\(contentType.isEmpty ? "none" : Self.echo(contentType))), expected "
                    + "multipart/form-data with a boundary.")
        }
        let maxContent = runtime.settings.batch.maxFileBytes
        guard let body = try await collectUpload(&request, limit: maxContent + Self.multipartOverhead) else {
            throw .batchFileTooLarge(limit: maxContent, model: nil)
        }
        let form = try MultipartForm.parse(body, boundary: boundary)
        guard let file = form.part("file"), file.filename != nil else { throw .missingParameter("file") }
        guard let purpose = form.part("purpose")?.text else { throw .missingParameter("purpose") }
        guard Self.filePurposes.contains(purpose) else {
            throw .invalidValue("purpose", value: purpose, supported: Self.filePurposes)
        }
        if file.data.readableBytes > maxContent {
            throw .batchFileTooLarge(limit: maxContent, model: BatchLineFields.firstModel(file.data))
        }
        var expiresAfter: Int?
        if let anchor = form.part("expires_after[anchor]")?.text, anchor != "created_at" {
            throw .invalidValue("expires_after.anchor", value: anchor, supported: ["created_at"])
        }
        if let text = form.part("expires_after[seconds]")?.text {
            guard let seconds = Int(text) else {
                throw .invalidType("expires_after.seconds", expected: "an integer", got: "a string")
            }
            let range = BatchLimits.fileExpirySeconds
            if seconds < range.lowerBound {
                throw .belowMinimum("expires_after.seconds", minimum: String(range.lowerBound), got: text)
            }
            if seconds > range.upperBound {
                throw .aboveMaximum("expires_after.seconds", maximum: String(range.upperBound), got: text)
            }
            expiresAfter = seconds
        }
        return try runtime.batches.upload(
            file.data, filename: file.filename ?? "file", purpose: purpose, expiresAfter: expiresAfter, responder: self)
    }

    /// Reads an upload's body into one buffer reserved from `Content-Length` (no doubling copies of a 200 MB
    /// body); nil when it is over `limit`.
    private func collectUpload(_ request: inout Request, limit: Int) async throws(MockAPIError) -> ByteBuffer? {
        let length = request.headers[.contentLength].flatMap { Int($0) }
        if let length, length > limit { return nil }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(length ?? 0)
        do {
            for try await var chunk in request.body {
                guard buffer.readableBytes + chunk.readableBytes <= limit else { return nil }
                buffer.writeBuffer(&chunk)
            }
        } catch {
            throw MockAPIError(status: 400, message: "Could not read the request body: \(error).")
        }
        return buffer
    }

    /// `{"object":"list","data":[…],"first_id":…,"last_id":…,"has_more":…}`.
    static func list(_ data: [JSONValue], ids: [String], hasMore: Bool) -> JSONValue {
        .object([
            .init("object", .string("list")), .init("data", .array(data)),
            .init("first_id", ids.first.map(JSONValue.string) ?? .null),
            .init("last_id", ids.last.map(JSONValue.string) ?? .null), .init("has_more", .bool(hasMore)),
        ])
    }

    /// An integer query parameter in `range` (400s as the real API words them); nil when absent.
    static func queryInt(_ text: Substring?, _ name: String, range: ClosedRange<Int>) throws(MockAPIError) -> Int? {
        guard let text else { return nil }
        guard let value = Int(text) else { throw .invalidType(name, expected: "an integer", got: "a string") }
        if value < range.lowerBound { throw .belowMinimum(name, minimum: String(range.lowerBound), got: String(text)) }
        if value > range.upperBound { throw .aboveMaximum(name, maximum: String(range.upperBound), got: String(text)) }
        return value
    }
}

extension MockAPIError {
    /// 413 for a batch input file over the limit (batch-api.md §2), naming the model when the first line gives one.
    static func batchFileTooLarge(limit: Int, model: String?) -> MockAPIError {
        let message = model.map { "The batch input file is larger than the \(limit) maximum for the \($0) model" }
            ?? "The batch input file is larger than the \(limit) maximum."
        return MockAPIError(status: 413, message: message, code: "file_too_large")
    }
}
