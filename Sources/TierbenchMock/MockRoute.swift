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
    case stats
    case statsReset
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
        case .stats, .statsReset: return "stats"
        case .wrongMethod, .unknown: return "unknown"
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
        }
    }

    static let labels = ["chat", "completions", "embeddings", "models", "model", "unknown", "metrics", "stats"]

    /// Whether the route is part of the OpenAI API surface (authenticated, counted, subject to faults).
    var isAPI: Bool {
        switch self {
        case .metrics, .stats, .statsReset: return false
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
        self.init(isGet: method == .get || method == .head, isPost: method == .post, path: path)
    }

    /// Matches a path for a request whose method is GET/HEAD (`isGet`), POST (`isPost`) or something else.
    init(isGet: Bool, isPost: Bool, path: Substring) {
        var path = path
        self = path.withUTF8 { Self(isGet: isGet, isPost: isPost, path: UnsafeRawBufferPointer($0)) }
    }

    /// Matches the UTF-8 bytes of a request target (the fast path reads them straight from the socket buffer).
    init(isGet: Bool, isPost: Bool, path: UnsafeRawBufferPointer) {
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
        } else if equals("/mock/stats") {
            self = isGet ? .stats : .wrongMethod
        } else if equals("/mock/stats/reset") {
            self = isPost ? .statsReset : .wrongMethod
        } else if bytes.starts(with: "/models/".utf8) && bytes.count > 8 {
            let id = String(decoding: bytes.dropFirst(8), as: UTF8.self)
            self = isGet ? .model(id) : .wrongMethod
        } else {
            self = .unknown
        }
    }
}
