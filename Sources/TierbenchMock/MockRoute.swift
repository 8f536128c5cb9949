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

    /// Whether the route generates (rate-limited, latency, capacity).
    var generates: Bool { self == .chat || self == .completions || self == .embeddings }

    /// Matches a request. Paths are accepted with or without the `/v1` prefix of the OpenAI base URL.
    init(method: HTTPRequest.Method, path: Substring) {
        var path = path
        if let query = path.firstIndex(of: "?") { path = path[..<query] }
        while path.count > 1 && path.hasSuffix("/") { path = path.dropLast() }
        let isGet = method == .get || method == .head
        let isPost = method == .post
        switch path {
        case "/v1/chat/completions", "/chat/completions": self = isPost ? .chat : .wrongMethod
        case "/v1/completions", "/completions": self = isPost ? .completions : .wrongMethod
        case "/v1/embeddings", "/embeddings": self = isPost ? .embeddings : .wrongMethod
        case "/v1/models", "/models": self = isGet ? .models : .wrongMethod
        case "/metrics": self = isGet ? .metrics : .wrongMethod
        case "/mock/stats": self = isGet ? .stats : .wrongMethod
        case "/mock/stats/reset": self = isPost ? .statsReset : .wrongMethod
        default:
            for prefix in ["/v1/models/", "/models/"] where path.hasPrefix(prefix) && path.count > prefix.count {
                let id = path.dropFirst(prefix.count)
                self = isGet ? .model(String(id)) : .wrongMethod
                return
            }
            self = .unknown
        }
    }
}
