/// The File object (`POST /v1/files`, `GET /v1/files/{id}`; openai-api.md §5.1).
public struct FileObject: Sendable, Equatable {
    /// `file-` and 22 base62 characters on the real API.
    public var id: String
    public var bytes: Int
    public var createdAt: Int
    public var expiresAt: Int?
    public var filename: String
    /// `batch` for uploads, `batch_output` for a batch's output and error files.
    public var purpose: String
    /// Deprecated but required by the Python SDK: `uploaded`, `processed` or `error`.
    public var status: String

    public init(
        id: String, bytes: Int, createdAt: Int, expiresAt: Int? = nil, filename: String, purpose: String,
        status: String = "processed"
    ) {
        self.id = id
        self.bytes = bytes
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.filename = filename
        self.purpose = purpose
        self.status = status
    }

    public var json: JSONValue {
        .object([
            .init("id", .string(id)),
            .init("object", .string("file")),
            .init("bytes", .int(bytes)),
            .init("created_at", .int(createdAt)),
            .init("expires_at", expiresAt.map(JSONValue.int) ?? .null),
            .init("filename", .string(filename)),
            .init("purpose", .string(purpose)),
            .init("status", .string(status)),
            .init("status_details", .null),
        ])
    }

    public var jsonText: String { json.jsonText }

    /// Reads a File object; unknown fields are ignored, optional ones may be null or absent.
    public init(json: JSONValue) throws(BatchDecodeError) {
        let reader = BatchFieldReader(json: json, object: "file")
        self.id = try reader.required("id")
        self.bytes = try reader.int("bytes") ?? 0
        self.createdAt = try reader.int("created_at") ?? 0
        self.expiresAt = try reader.int("expires_at")
        self.filename = try reader.string("filename") ?? ""
        self.purpose = try reader.string("purpose") ?? ""
        self.status = try reader.string("status") ?? "processed"
    }
}
