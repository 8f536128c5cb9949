/// The Batch object (`POST /v1/batches`, `GET /v1/batches/{id}`; openai-api.md §5.4, batch-api.md §4).
///
/// The mock encodes it in OpenAI's field order; the client decodes what any server sends leniently: optional
/// fields may be null or absent, unknown fields are ignored, and an empty file id reads as no file.
public struct BatchObject: Sendable, Equatable {
    /// `request_counts`: lines in the batch, finished successfully, finished with an error.
    public struct RequestCounts: Sendable, Equatable {
        public var total = 0
        public var completed = 0
        public var failed = 0
        public init(total: Int = 0, completed: Int = 0, failed: Int = 0) {
            self.total = total
            self.completed = completed
            self.failed = failed
        }
    }

    /// `usage` (batches created after 2025-09-07): exact tokens over the executed lines.
    public struct Usage: Sendable, Equatable {
        public var inputTokens = 0
        public var cachedTokens = 0
        public var outputTokens = 0
        public var reasoningTokens = 0
        public init(inputTokens: Int = 0, cachedTokens: Int = 0, outputTokens: Int = 0, reasoningTokens: Int = 0) {
            self.inputTokens = inputTokens
            self.cachedTokens = cachedTokens
            self.outputTokens = outputTokens
            self.reasoningTokens = reasoningTokens
        }
        public var totalTokens: Int { inputTokens.addingReportingOverflow(outputTokens).partialValue }
    }

    /// `batch_` and 32 hex digits on today's API.
    public var id: String
    public var endpoint: String
    public var inputFileID: String
    public var completionWindow: String
    public var status: BatchStatus
    /// Unix seconds (virtual seconds on a time-scaled mock, so the window stays 86,400).
    public var createdAt: Int
    public var model: String?
    /// `errors.data[]`; nil = `"errors": null`.
    public var errors: [BatchError]?
    public var outputFileID: String?
    public var errorFileID: String?
    public var inProgressAt: Int?
    public var expiresAt: Int?
    public var finalizingAt: Int?
    public var completedAt: Int?
    public var failedAt: Int?
    public var expiredAt: Int?
    public var cancellingAt: Int?
    public var cancelledAt: Int?
    public var requestCounts = RequestCounts()
    public var usage: Usage?
    /// String pairs in the order given; nil = `"metadata": null`.
    public var metadata: [JSONValue.Member]?

    public init(
        id: String, endpoint: String, inputFileID: String, status: BatchStatus, createdAt: Int,
        completionWindow: String = BatchLimits.completionWindow
    ) {
        self.id = id
        self.endpoint = endpoint
        self.inputFileID = inputFileID
        self.status = status
        self.createdAt = createdAt
        self.completionWindow = completionWindow
    }

    /// The value of metadata key `key`, if any.
    public func metadataValue(_ key: String) -> String? {
        metadata?.first { $0.key == key }?.value.stringValue
    }

    public var json: JSONValue {
        func stamp(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }
        let errorsValue: JSONValue = errors.map {
            .object([.init("object", .string("list")), .init("data", .array($0.map(\.json)))])
        } ?? .null
        let usageValue: JSONValue = usage.map { usage in
            .object([
                .init("input_tokens", .int(usage.inputTokens)),
                .init("input_tokens_details", .object([.init("cached_tokens", .int(usage.cachedTokens))])),
                .init("output_tokens", .int(usage.outputTokens)),
                .init("output_tokens_details", .object([.init("reasoning_tokens", .int(usage.reasoningTokens))])),
                .init("total_tokens", .int(usage.totalTokens)),
            ])
        } ?? .null
        return .object([
            .init("id", .string(id)),
            .init("object", .string("batch")),
            .init("endpoint", .string(endpoint)),
            .init("model", model.map(JSONValue.string) ?? .null),
            .init("errors", errorsValue),
            .init("input_file_id", .string(inputFileID)),
            .init("completion_window", .string(completionWindow)),
            .init("status", .string(status.rawValue)),
            .init("output_file_id", outputFileID.map(JSONValue.string) ?? .null),
            .init("error_file_id", errorFileID.map(JSONValue.string) ?? .null),
            .init("created_at", .int(createdAt)),
            .init("in_progress_at", stamp(inProgressAt)),
            .init("expires_at", stamp(expiresAt)),
            .init("finalizing_at", stamp(finalizingAt)),
            .init("completed_at", stamp(completedAt)),
            .init("failed_at", stamp(failedAt)),
            .init("expired_at", stamp(expiredAt)),
            .init("cancelling_at", stamp(cancellingAt)),
            .init("cancelled_at", stamp(cancelledAt)),
            .init("request_counts", .object([
                .init("total", .int(requestCounts.total)),
                .init("completed", .int(requestCounts.completed)),
                .init("failed", .int(requestCounts.failed)),
            ])),
            .init("usage", usageValue),
            .init("metadata", metadata.map(JSONValue.object) ?? .null),
        ])
    }

    public var jsonText: String { json.jsonText }

    /// Reads a Batch object. Throws for a missing id or status, an unknown status, or a field of the wrong type.
    public init(json: JSONValue) throws(BatchDecodeError) {
        let reader = BatchFieldReader(json: json, object: "batch")
        self.id = try reader.required("id")
        let statusText = try reader.required("status")
        guard let status = BatchStatus(rawValue: statusText) else {
            throw BatchDecodeError(object: "batch", field: "status", problem: "an unknown status '\(statusText)'")
        }
        self.status = status
        self.endpoint = try reader.string("endpoint") ?? ""
        self.inputFileID = try reader.string("input_file_id") ?? ""
        self.completionWindow = try reader.string("completion_window") ?? BatchLimits.completionWindow
        self.createdAt = try reader.int("created_at") ?? 0
        self.model = try reader.string("model")
        if let list = json["errors"], case .array(let items) = list["data"] ?? .null {
            self.errors = items.compactMap(BatchError.init(json:))
        }
        self.outputFileID = try reader.fileID("output_file_id")
        self.errorFileID = try reader.fileID("error_file_id")
        self.inProgressAt = try reader.int("in_progress_at")
        self.expiresAt = try reader.int("expires_at")
        self.finalizingAt = try reader.int("finalizing_at")
        self.completedAt = try reader.int("completed_at")
        self.failedAt = try reader.int("failed_at")
        self.expiredAt = try reader.int("expired_at")
        self.cancellingAt = try reader.int("cancelling_at")
        self.cancelledAt = try reader.int("cancelled_at")
        if let counts = reader.nested("request_counts") {
            self.requestCounts = RequestCounts(
                total: try counts.int("total") ?? 0, completed: try counts.int("completed") ?? 0,
                failed: try counts.int("failed") ?? 0)
        }
        if let usage = reader.nested("usage") {
            self.usage = Usage(
                inputTokens: try usage.int("input_tokens") ?? 0,
                cachedTokens: try usage.nested("input_tokens_details")?.int("cached_tokens") ?? 0,
                outputTokens: try usage.int("output_tokens") ?? 0,
                reasoningTokens: try usage.nested("output_tokens_details")?.int("reasoning_tokens") ?? 0)
        }
        if let value = json["metadata"], case .object(let members) = value {
            self.metadata = members
        }
    }
}
