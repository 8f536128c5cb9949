import Foundation
import TierbenchCore
import TierbenchCurl

/// The Files and Batch API calls of `tierbench batch`, over ``CurlClient`` (never blocks a Swift concurrency thread).
///
/// GET calls are retried on no response, 408, 429 and 5xx; POST calls only on 429 and 503, and a create or upload
/// only after looking whether the earlier try went through after all (`BatchAPIClient+Create.swift`). Waits follow ``BatchBackoff`` and honour
/// `retry-after` / `retry-after-ms`. Every message from the server passes the ``SecretRedactor`` first.
public struct BatchAPIClient: Sendable {
    let baseURL: String
    let headers: [Header]
    let redactor: SecretRedactor
    let client: CurlClient
    /// Waits between retries of one call.
    public var retry = BatchBackoff(initial: 1, cap: 30)
    /// Tries per call (the first included).
    public var maxAttempts = 6

    struct Header: Sendable {
        var name: String
        var value: String
    }

    /// - Parameters:
    ///   - target: where to send (the mock's URL already resolved).
    ///   - environment: where the API key is read from (the process environment).
    ///   - scenarioPath: named in the missing-key message.
    /// - Throws: `EngineError.missingAPIKey` when `target.apiKeyEnv` names an unset variable (before any network call).
    public init(target: ResolvedTarget, environment: [String: String], scenarioPath: String) throws(EngineError) {
        var headers: [Header] = []
        if let variable = target.apiKeyEnv {
            guard let key = environment[variable], !key.isEmpty else {
                throw EngineError.missingAPIKey(variable: variable, scenario: scenarioPath)
            }
            headers.append(Header(name: "Authorization", value: "Bearer \(key)"))
        }
        for header in target.headers { headers.append(Header(name: header.name, value: header.value)) }
        self.baseURL = target.baseURL
        self.headers = headers
        self.redactor = Self.redactor(headers: headers)
        var options = CurlLoopOptions()
        options.connectTimeout = .seconds(10)
        // No total timeout that would cut a slow but moving 200 MB upload or download: a transfer is aborted when
        // it moves under 1 KiB/s for 2 minutes, and capped at 6 hours.
        options.requestTimeout = .seconds(6 * 3600)
        options.lowSpeedLimit = 1024
        options.lowSpeedTime = .seconds(120)
        self.client = CurlClient(options: options, concurrency: 4)
    }

    /// The redactor of the secrets a client of `target` would send (its API key and secret-looking headers), without
    /// opening a client (an unset key variable adds no secret).
    public static func redactor(target: ResolvedTarget, environment: [String: String]) -> SecretRedactor {
        var headers: [Header] = []
        if let variable = target.apiKeyEnv, let key = environment[variable], !key.isEmpty {
            headers.append(Header(name: "Authorization", value: "Bearer \(key)"))
        }
        for header in target.headers { headers.append(Header(name: header.name, value: header.value)) }
        return redactor(headers: headers)
    }

    static func redactor(headers: [Header]) -> SecretRedactor {
        SecretRedactor(secrets: SecretRedactor.secrets(ofHeaders: headers.map { ($0.name, $0.value) }))
    }

    /// Stops the client's loop thread.
    public func shutdown() { client.shutdown() }

    // MARK: Files

    /// `GET /files?purpose=batch`: the uploaded batch input files (to find an upload whose answer was lost).
    public func listFiles() async throws(BatchAPIError) -> [FileObject] {
        let call = "GET /v1/files"
        let json = try await sendJSON(call: call, method: "GET", path: "/files?purpose=batch")
        guard case .array(let items)? = json["data"] else { return [] }
        return items.compactMap { try? FileObject(json: $0) }
    }

    /// `GET /files/{id}/content`, streamed to `path` (a temporary file, then renamed; never held in memory). Any
    /// secret of the request that the server echoed into the file is replaced first. Returns the byte count.
    @discardableResult
    public func downloadFile(_ id: String, to path: String) async throws(BatchAPIError) -> Int {
        let call = "GET /v1/files/\(id)/content"
        _ = try await send(
            call: call, method: "GET", path: "/files/\(Self.escaped(id))/content", accept: "application/binary",
            sinkPath: path)
        return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    // MARK: Batches

    /// `GET /batches/{id}`.
    public func retrieveBatch(_ id: String) async throws(BatchAPIError) -> BatchObject {
        try await batchCall("GET /v1/batches/\(id)", method: "GET", path: "/batches/\(Self.escaped(id))")
    }

    /// `POST /batches/{id}/cancel`. A batch that already ended answers 409.
    public func cancelBatch(_ id: String) async throws(BatchAPIError) -> BatchObject {
        try await batchCall("POST /v1/batches/\(id)/cancel", method: "POST", path: "/batches/\(Self.escaped(id))/cancel")
    }

    /// One page of `GET /batches?limit=…&after=…` (newest first on every server seen): the batches that decode,
    /// how many items did not (skipped, so one odd batch breaks neither a list nor a re-attach), whether more
    /// follow, and the cursor for the next page (the last item's id, decodable or not).
    public func listBatches(after: String? = nil, limit: Int = 100) async throws(BatchAPIError)
        -> (batches: [BatchObject], skipped: Int, hasMore: Bool, nextAfter: String?)
    {
        var path = "/batches?limit=\(min(max(limit, 1), 100))"
        if let after { path += "&after=\(Self.escaped(after))" }
        let call = "GET /v1/batches"
        let json = try await sendJSON(call: call, method: "GET", path: path)
        guard case .array(let items)? = json["data"] else { return ([], 0, false, nil) }
        var batches: [BatchObject] = []
        var skipped = 0
        for item in items {
            if let batch = try? BatchObject(json: item) { batches.append(batch) } else { skipped += 1 }
        }
        let nextAfter = items.last?["id"]?.stringValue
        let hasMore = json["has_more"] == .bool(true) && nextAfter != nil
        return (batches, skipped, hasMore, nextAfter)
    }

    /// The batch of this run's shard `shard`, found by its metadata (`tierbench_run`, `tierbench_shard`), looking
    /// through at most `maxPages` pages of `pageSize` batches, and no further than a page whose batches were all
    /// created before `createdSince` (Unix seconds; the list is newest first), when given.
    public func findBatch(runID: String, shard: Int, maxPages: Int = 20, pageSize: Int = 100, createdSince: Int? = nil)
        async throws(BatchAPIError) -> BatchObject?
    {
        var after: String?
        for _ in 0..<maxPages {
            let page = try await listBatches(after: after, limit: pageSize)
            if let match = page.batches.first(where: {
                $0.metadataValue("tierbench_run") == runID && $0.metadataValue("tierbench_shard") == String(shard)
            }) {
                return match
            }
            if let createdSince, !page.batches.isEmpty, page.batches.allSatisfy({ $0.createdAt < createdSince }) {
                return nil
            }
            guard page.hasMore, let next = page.nextAfter else { return nil }
            after = next
        }
        return nil
    }

    func batchCall(_ call: String, method: String, path: String, body: [UInt8] = [], attempts: Int? = nil)
        async throws(BatchAPIError) -> BatchObject
    {
        let json = try await sendJSON(call: call, method: method, path: path, body: body, attempts: attempts)
        do {
            return try BatchObject(json: json)
        } catch {
            throw BatchAPIError(call: call, status: 200, message: redactor.redact(error.description))
        }
    }
}
