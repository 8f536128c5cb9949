import Foundation
import TierbenchCore
import TierbenchMock

/// The single-step batch commands (`submit`, `status`, `wait`, `retrieve`, `cancel`, `list`) against a scenario's
/// target: a real API (key from `target.api_key_env`, checked before any call) or a mock.
///
/// The built-in mock lives in the process that starts it, so for `target: mock` a session either talks to a running
/// mock (`mockBaseURL`, e.g. `tierbench mock`) or starts one of its own that ends with ``close()``.
public final class BatchSession: Sendable {
    public let loaded: ScenarioFile
    public let client: BatchAPIClient
    let mock: MockServer?
    let isMock: Bool

    private init(loaded: ScenarioFile, client: BatchAPIClient, mock: MockServer?) {
        self.loaded = loaded
        self.client = client
        self.mock = mock
        self.isMock = loaded.scenario.target.isMock
    }

    /// Loads the scenario and connects to its target.
    /// - Parameters:
    ///   - mockBaseURL: for `target: mock`, a running mock's base URL; nil = start one in this process.
    ///   - environment: where the API key is read; nil = the process environment.
    public static func open(
        scenario: String, mockBaseURL: String? = nil, environment: [String: String]? = nil, retry: BatchBackoff? = nil
    ) async throws(BatchWorkflowError) -> BatchSession {
        do { try initializeCurl() } catch { throw .engine(error) }
        let loaded: ScenarioFile
        do { loaded = try ScenarioFile.load(path: scenario) } catch { throw .engine(error) }
        let environment = environment ?? ProcessInfo.processInfo.environment
        try BatchWorkflow.checkKey(loaded, environment: environment)
        var mock: MockServer?
        var baseURL = mockBaseURL ?? ""
        if loaded.scenario.target.isMock, mockBaseURL == nil {
            let server = MockServer(settings: loaded.scenario.mock)
            do {
                baseURL = "http://127.0.0.1:\(try await server.start())/v1"
            } catch {
                throw .engine(.mockFailed(String(describing: error)))
            }
            mock = server
        }
        do {
            var client = try BatchAPIClient(
                target: loaded.scenario.target.resolved(mockBaseURL: baseURL), environment: environment,
                scenarioPath: loaded.path)
            if let retry { client.retry = retry }
            return BatchSession(loaded: loaded, client: client, mock: mock)
        } catch {
            await mock?.stop()
            throw .engine(error)
        }
    }

    /// Stops the client and a mock this session started.
    public func close() async {
        client.shutdown()
        await mock?.stop()
    }


    /// `GET /batches/{id}`.
    public func status(_ id: String) async throws(BatchWorkflowError) -> BatchObject {
        do { return try await client.retrieveBatch(id) } catch { throw .api(error) }
    }

    /// Polls until the batch is terminal (exponential backoff with jitter), at most `timeout` seconds; after the
    /// first answer, a poll that fails transiently is no change.
    /// - Throws: `.failed` naming the last status when the time passes.
    public func wait(
        _ id: String, timeout: Double, poll: BatchBackoff? = nil,
        progress: @Sendable (BatchProgress) -> Void = { _ in }
    ) async throws(BatchWorkflowError) -> BatchObject {
        let backoff = poll ?? (isMock ? BatchBackoff(initial: 0.05, multiplier: 1.5, cap: 1, jitter: 0.3)
            : BatchBackoff(initial: 5, multiplier: 1.5, cap: 60, jitter: 0.3))
        let timeout = BatchLimits.clampedWait(timeout)
        let deadline = Date().addingTimeInterval(timeout)
        var quiet = 0
        var last: BatchObject?
        while true {
            let batch: BatchObject
            do {
                batch = try await client.retrieveBatch(id)
            } catch where error.isTransient && last != nil {
                // A poll that failed after the client's retries is no change: poll on until the timeout.
                quiet += 1
                let wait = backoff.delay(attempt: quiet, random: Double.random(in: 0..<1))
                guard Date().addingTimeInterval(wait) < deadline, !Task.isCancelled else { throw .api(error) }
                progress(BatchProgress(message: "polling \(id) failed (\(error.description)); polling on"))
                try? await Task.sleep(nanoseconds: UInt64(wait * 1e9))
                continue
            } catch {
                throw .api(error)
            }
            if last?.status != batch.status || last?.requestCounts != batch.requestCounts {
                progress(BatchProgress(message: BatchRunDriver.statusLine(batch), batch: batch))
                quiet = 0
            } else {
                quiet += 1
            }
            last = batch
            if batch.status.isTerminal { return batch }
            let wait = backoff.delay(attempt: quiet, random: Double.random(in: 0..<1))
            guard Date().addingTimeInterval(wait) < deadline, !Task.isCancelled else {
                throw .failed("\(id) is still \(batch.status.rawValue) after \(String(format: "%.0f", timeout)) s; wait again later "
                    + "(tierbench batch wait), or cancel it")
            }
            try? await Task.sleep(nanoseconds: UInt64(wait * 1e9))
        }
    }

    /// `POST /batches/{id}/cancel`; a batch that already ended gives HTTP 409, reported as such.
    public func cancel(_ id: String) async throws(BatchWorkflowError) -> BatchObject {
        do { return try await client.cancelBatch(id) } catch { throw .api(error) }
    }

    /// Up to `limit` batches, newest first, following the list's pages, and how many listed items could not be
    /// read as batches (skipped, counted against `limit`).
    public func list(limit: Int = 20) async throws(BatchWorkflowError) -> (batches: [BatchObject], skipped: Int) {
        var batches: [BatchObject] = []
        var skipped = 0
        var after: String?
        do {
            while batches.count + skipped < limit {
                let page = try await client.listBatches(after: after, limit: min(100, limit - batches.count - skipped))
                batches += page.batches
                skipped += page.skipped
                guard page.hasMore, let next = page.nextAfter else { break }
                after = next
            }
        } catch {
            throw .api(error)
        }
        return (Array(batches.prefix(limit)), skipped)
    }
}
