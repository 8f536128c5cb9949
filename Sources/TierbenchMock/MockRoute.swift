import Hummingbird

/// The routes the mock serves, matched from method and path without a router trie.
enum MockRoute: Sendable, Equatable {
    case chat
    case completions
    case embeddings
    case models
    /// `GET /v1/models/{id}`.
    case model(String)
    case metrics
    /// `GET`/`HEAD /health`: 200 with an empty body, as vLLM and most OpenAI-compatible servers answer.
    case health
    case stats
    case statsReset
    /// `POST /v1/files` (multipart upload).
    case fileUpload
    /// `GET /v1/files`.
    case fileList
    /// `GET /v1/files/{id}`.
    case file(String)
    /// `DELETE /v1/files/{id}`.
    case fileDelete(String)
    /// `GET /v1/files/{id}/content`.
    case fileContent(String)
    /// `POST /v1/batches`.
    case batchCreate
    /// `GET /v1/batches`.
    case batchList
    /// `GET /v1/batches/{id}`.
    case batch(String)
    /// `POST /v1/batches/{id}/cancel`.
    case batchCancel(String)
    /// A known path with the wrong method (405).
    case wrongMethod
    /// Nothing here (404).
    case unknown

    /// The label used in stats and metrics.
    var label: String {
        switch self {
        case .chat: return "chat"
        case .completions: return "completions"
        case .embeddings: return "embeddings"
        case .models: return "models"
        case .model: return "model"
        case .metrics: return "metrics"
        case .health: return "health"
        case .stats, .statsReset: return "stats"
        case .wrongMethod, .unknown: return "unknown"
        case .fileUpload, .fileList, .file, .fileDelete, .fileContent: return "files"
        case .batchCreate, .batchList, .batch, .batchCancel: return "batches"
        }
    }

    /// Index of `label` in `MockRoute.labels` (for preallocated metric tables).
    var labelIndex: Int {
        switch self {
        case .chat: return 0
        case .completions: return 1
        case .embeddings: return 2
        case .models: return 3
        case .model: return 4
        case .wrongMethod, .unknown: return 5
        case .metrics: return 6
        case .stats, .statsReset: return 7
        case .fileUpload, .fileList, .file, .fileDelete, .fileContent: return 8
        case .batchCreate, .batchList, .batch, .batchCancel: return 9
        case .health: return 10
        }
    }

    static let labels = [
        "chat", "completions", "embeddings", "models", "model", "unknown", "metrics", "stats", "files", "batches", "health",
    ]

    /// Whether the route is part of the OpenAI API surface (authenticated, counted, subject to faults).
    var isAPI: Bool {
        switch self {
        case .metrics, .health, .stats, .statsReset: return false
        default: return true
        }
    }

    /// Whether the fast path may answer it (everything but the observability routes and 404/405s).
    var takesFastPath: Bool {
        switch self {
        case .chat, .completions, .embeddings, .models, .model: return true
        default: return false
        }
    }

    /// Whether the route generates (rate-limited, latency, capacity).
    var generates: Bool { self == .chat || self == .completions || self == .embeddings }

    /// Matches a request. Paths are accepted with or without the `/v1` prefix of the OpenAI base URL
    /// (so `/metrics` and `/mock/…` also answer under `/v1`).
    init(method: HTTPRequest.Method, path: Substring) {
        self.init(
            isGet: method == .get || method == .head, isPost: method == .post, isDelete: method == .delete, path: path)
    }

    /// Matches a path for a request whose method is GET/HEAD (`isGet`), POST (`isPost`), DELETE (`isDelete`) or
    /// something else.
    init(isGet: Bool, isPost: Bool, isDelete: Bool = false, path: Substring) {
        var path = path
        self = path.withUTF8 {
            Self(isGet: isGet, isPost: isPost, isDelete: isDelete, path: UnsafeRawBufferPointer($0))
        }
    }

    /// Matches the UTF-8 bytes of a request target (the fast path reads them straight from the socket buffer;
    /// it never sees DELETE, whose routes are Hummingbird's).
    init(isGet: Bool, isPost: Bool, isDelete: Bool = false, path: UnsafeRawBufferPointer) {
        // Compare UTF-8 bytes: this runs for every request, and String matching would normalize.
        var bytes = path[...]
        if let query = bytes.firstIndex(of: UInt8(ascii: "?")) { bytes = bytes[..<query] }
        while bytes.count > 1 && bytes.last == UInt8(ascii: "/") { bytes = bytes.dropLast() }
        if bytes.starts(with: "/v1/".utf8) { bytes = bytes.dropFirst(3) }
        func equals(_ literal: StaticString) -> Bool {
            bytes.elementsEqual(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
        }
        if equals("/chat/completions") {
            self = isPost ? .chat : .wrongMethod
        } else if equals("/completions") {
            self = isPost ? .completions : .wrongMethod
        } else if equals("/embeddings") {
            self = isPost ? .embeddings : .wrongMethod
        } else if equals("/models") {
            self = isGet ? .models : .wrongMethod
        } else if equals("/metrics") {
            self = isGet ? .metrics : .wrongMethod
        } else if equals("/health") {
            self = isGet ? .health : .wrongMethod
        } else if equals("/mock/stats") {
            self = isGet ? .stats : .wrongMethod
        } else if equals("/mock/stats/reset") {
            self = isPost ? .statsReset : .wrongMethod
        } else if bytes.starts(with: "/models/".utf8) && bytes.count > 8 {
            let id = String(decoding: bytes.dropFirst(8), as: UTF8.self)
            self = isGet ? .model(id) : .wrongMethod
        } else if equals("/files") {
            self = isPost ? .fileUpload : isGet ? .fileList : .wrongMethod
        } else if equals("/batches") {
            self = isPost ? .batchCreate : isGet ? .batchList : .wrongMethod
        } else if bytes.starts(with: "/files/".utf8) && bytes.count > 7 {
            let rest = String(decoding: bytes.dropFirst(7), as: UTF8.self)
            if rest.hasSuffix("/content") {
                let id = String(rest.dropLast(8))
                self = id.isEmpty || id.contains("/") ? .unknown : isGet ? .fileContent(id) : .wrongMethod
            } else if rest.contains("/") {
                self = .unknown
            } else {
                self = isGet ? .file(rest) : isDelete ? .fileDelete(rest) : .wrongMethod
            }
        } else if bytes.starts(with: "/batches/".utf8) && bytes.count > 9 {
            let rest = String(decoding: bytes.dropFirst(9), as: UTF8.self)
            if rest.hasSuffix("/cancel") {
                let id = String(rest.dropLast(7))
                self = id.isEmpty || id.contains("/") ? .unknown : isPost ? .batchCancel(id) : .wrongMethod
            } else if rest.contains("/") {
                self = .unknown
            } else {
                self = isGet ? .batch(rest) : .wrongMethod
            }
        } else {
            self = .unknown
        }
    }
}
