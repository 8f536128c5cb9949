import Hummingbird
import NIOCore
import TierbenchCore

/// The Batches API: `POST /v1/batches`, `GET /v1/batches[/{id}]`, `POST /v1/batches/{id}/cancel`.
extension MockResponder {
    /// Answers a Batches route with the JSON to send.
    func batchRoute(
        _ request: inout Request, route: MockRoute
    ) async throws(MockAPIError) -> JSONValue {
        let query = request.uri.queryParameters
        let store = runtime.batches
        switch route {
        case .batchCreate:
            let body = try await collectBody(&request)
            return try store.create(try Self.createRequest(body), responder: self).json
        case .batchList:
            let limit = try Self.queryInt(query["limit"], "limit", range: 1...100) ?? 20
            let (batches, hasMore) = store.list(after: query["after"].map(String.init), limit: limit, responder: self)
            return Self.list(batches.map(\.json), ids: batches.map(\.id), hasMore: hasMore)
        case .batch(let id):
            guard let batch = store.batch(id, responder: self) else { throw .batchNotFound(id) }
            return batch.json
        case .batchCancel(let id):
            return try store.cancel(id, responder: self).json
        default:
            throw .invalidURL(method: request.method.rawValue, path: request.uri.path)
        }
    }

    /// Checks a `POST /v1/batches` body with the synchronous 400s OpenAI answers (batch-api.md §3).
    static func createRequest(_ body: ByteBuffer) throws(MockAPIError) -> BatchStore.CreateRequest {
        let text = String(buffer: body)
        guard let value = try? JSONValue.parse(Substring(text)), case .object = value else { throw .invalidJSON }
        func string(_ name: String) throws(MockAPIError) -> String {
            guard let field = value[name], field != .null else { throw .missingParameter(name) }
            guard let text = field.stringValue else {
                throw .invalidType(name, expected: "a string", got: field.article)
            }
            return text
        }
        let inputFileID = try string("input_file_id")
        let endpoint = try string("endpoint")
        guard BatchLimits.endpoints.contains(endpoint) else {
            throw .invalidValue("endpoint", value: endpoint, supported: BatchLimits.endpoints)
        }
        let window = try string("completion_window")
        guard window == BatchLimits.completionWindow else {
            throw .invalidValue("completion_window", value: window, supported: [BatchLimits.completionWindow])
        }
        var metadata: [JSONValue.Member]?
        if let field = value["metadata"], field != .null {
            guard case .object(let members) = field else {
                throw .invalidType("metadata", expected: "an object", got: field.article)
            }
            if members.count > BatchLimits.maxMetadataPairs {
                throw MockAPIError(
                    status: 400,
                    message: "Invalid 'metadata': too many properties. Expected an object with at most "
                        + "\(BatchLimits.maxMetadataPairs) properties, but got an object with \(members.count) "
                        + "properties instead.",
                    param: "metadata", code: "object_above_max_properties")
            }
            for member in members {
                if member.key.count > BatchLimits.maxMetadataKeyLength {
                    throw MockAPIError(
                        status: 400,
                        message: "Invalid 'metadata': string too long. Expected a string with maximum length "
                            + "\(BatchLimits.maxMetadataKeyLength), but got a string with length \(member.key.count) "
                            + "instead.",
                        param: "metadata", code: "string_above_max_length")
                }
                guard let text = member.value.stringValue else {
                    throw .invalidType("metadata.\(member.key)", expected: "a string", got: member.value.article)
                }
                if text.count > BatchLimits.maxMetadataValueLength {
                    throw MockAPIError(
                        status: 400,
                        message: "Invalid 'metadata.\(member.key)': string too long. Expected a string with maximum "
                            + "length \(BatchLimits.maxMetadataValueLength), but got a string with length "
                            + "\(text.count) instead.",
                        param: "metadata.\(member.key)", code: "string_above_max_length")
                }
            }
            metadata = members
        }
        var outputExpiresAfter: Int?
        if let field = value["output_expires_after"], field != .null {
            guard case .object = field else {
                throw .invalidType("output_expires_after", expected: "an object", got: field.article)
            }
            if let anchor = field["anchor"], anchor != .string("created_at") {
                throw .invalidValue(
                    "output_expires_after.anchor", value: anchor.stringValue ?? anchor.jsonText, supported: ["created_at"])
            }
            guard case .int(let seconds) = field["seconds"] ?? .null else {
                throw .missingParameter("output_expires_after.seconds")
            }
            let range = BatchLimits.fileExpirySeconds
            if seconds < range.lowerBound {
                throw .belowMinimum("output_expires_after.seconds", minimum: String(range.lowerBound), got: String(seconds))
            }
            if seconds > range.upperBound {
                throw .aboveMaximum("output_expires_after.seconds", maximum: String(range.upperBound), got: String(seconds))
            }
            outputExpiresAfter = seconds
        }
        return BatchStore.CreateRequest(
            inputFileID: inputFileID, endpoint: endpoint, metadata: metadata, outputExpiresAfter: outputExpiresAfter)
    }
}

extension JSONValue {
    /// "a string", "an object"…: the wording of the real API's type errors.
    var article: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
