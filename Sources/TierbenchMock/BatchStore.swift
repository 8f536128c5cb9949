import Foundation
import NIOCore
import Synchronization
import TierbenchCore

/// The mock's Files and Batches state: stored files and a lazy, exact discrete-event simulation of every batch.
///
/// There are no timers: each call first advances the simulation to the clock's now (`advance(to:)`), processing
/// status changes of all batches in global time order — so the enqueued-token check of one batch sees the others'
/// state at that instant — and executing lines whose virtual start time has passed. Deterministic per seed.
final class BatchStore: Sendable {
    /// A stored file.
    struct StoredFile: Sendable {
        var object: FileObject
        var content: BatchFileContent
    }

    struct State: Sendable {
        var files: [String: StoredFile] = [:]
        var fileOrder: [String] = []
        var batches: [String: SimulatedBatch] = [:]
        var batchOrder: [String] = []
        /// Batches not yet terminal, in creation order.
        var active: [String] = []
        /// Virtual times of recent creations (the 2,000-per-hour limit).
        var creations: [Double] = []
        var random: MockRandom
        /// Monotonic counts (metrics) and the values at the last stats reset.
        var totals = BatchCounters()
        var baseline = BatchCounters()
        var now: Double = 0
    }

    let clock: any BatchClock
    let state: Mutex<State>

    init(clock: any BatchClock, seed: UInt64) {
        self.clock = clock
        self.state = Mutex(State(random: MockRandom(seed: seed ^ 0xF11E_BA7C_0000_0001)))
    }

    /// Line executions at most per hold of the lock: a long advance releases it between slices, so no request
    /// (nor `/metrics`, nor the other mock in the process) waits on one long hold.
    static let linesPerHold = 1_000

    /// Runs `body` on the state advanced to the clock's now. The advance runs in slices of at most `linesPerHold`
    /// line executions, releasing the lock between them; `body` runs under the hold that finished it.
    func withAdvanced<T, Failure: Error>(
        _ responder: MockResponder, _ body: (inout State) throws(Failure) -> T
    ) throws(Failure) -> T {
        let now = Self.clamped(clock.now())
        while true {
            let result = try state.withLock { (state: inout State) throws(Failure) -> T? in
                guard Self.advance(&state, to: now, responder: responder, budget: Self.linesPerHold) else { return nil }
                return .some(try body(&state))
            }
            if let result { return result }
        }
    }

    /// A clock reading made safe for the simulation's `Int` stamps: NaN and infinities are 0 (no advance), and
    /// values are kept within ±4e12 s (about 127,000 years).
    static func clamped(_ time: Double) -> Double {
        time.isFinite ? min(max(time, -4e12), 4e12) : 0
    }

    // MARK: Files

    /// Stores an upload and returns its File object; a 500 when its content could not be written to disk.
    func upload(
        _ content: ByteBuffer, filename: String, purpose: String, expiresAfter: Int?, responder: MockResponder
    ) throws(MockAPIError) -> FileObject {
        // Built (and spilled to disk when large) before taking the lock.
        let stored = BatchFileContent(content)
        guard !stored.writeFailed else {
            throw MockAPIError(
                status: 500, message: "The server could not store the file. Please retry.", type: "server_error")
        }
        return withAdvanced(responder) { state in
            let created = Int(state.now.rounded(.down))
            let expiry = expiresAfter ?? (purpose == "batch" ? 2_592_000 : nil)
            let object = FileObject(
                id: "file-" + state.random.base62(22), bytes: content.readableBytes, createdAt: created,
                expiresAt: expiry.map { created + $0 }, filename: filename, purpose: purpose)
            state.files[object.id] = StoredFile(object: object, content: stored)
            state.fileOrder.append(object.id)
            state.totals.filesUploaded += 1
            state.totals.fileBytesUploaded += content.readableBytes
            return object
        }
    }

    /// A stored file and its content.
    func file(_ id: String, responder: MockResponder) -> StoredFile? {
        withAdvanced(responder) { state in state.files[id] }
    }

    /// Deletes a file; false when there is none.
    func deleteFile(_ id: String, responder: MockResponder) -> Bool {
        withAdvanced(responder) { state -> Bool in
            guard state.files.removeValue(forKey: id) != nil else { return false }
            state.fileOrder.removeAll { $0 == id }
            return true
        }
    }

    /// Files newest first (or oldest first with `ascending`), optionally of one purpose, after the cursor `after`.
    func listFiles(
        purpose: String?, ascending: Bool, after: String?, limit: Int, responder: MockResponder
    ) -> (files: [FileObject], hasMore: Bool) {
        withAdvanced(responder) { state in
            var ids = ascending ? state.fileOrder : state.fileOrder.reversed()
            if let purpose { ids = ids.filter { state.files[$0]?.object.purpose == purpose } }
            if let after, let position = ids.firstIndex(of: after) { ids = Array(ids[(position + 1)...]) }
            let page = ids.prefix(limit).compactMap { state.files[$0]?.object }
            return (page, ids.count > limit)
        }
    }

    // MARK: Counting

    /// Counts since the start or the last reset, with batches by current status.
    func stats(responder: MockResponder) -> MockBatchStats {
        withAdvanced(responder) { state in
            let counts = state.totals
            let base = state.baseline
            var stats = MockBatchStats()
            stats.filesUploaded = counts.filesUploaded - base.filesUploaded
            stats.fileBytesUploaded = counts.fileBytesUploaded - base.fileBytesUploaded
            stats.batchesCreated = counts.batchesCreated - base.batchesCreated
            stats.linesSucceeded = counts.linesSucceeded - base.linesSucceeded
            stats.linesFailed = counts.linesFailed - base.linesFailed
            stats.linesExpired = counts.linesExpired - base.linesExpired
            stats.spendUSD = counts.spendUSD - base.spendUSD
            for batch in state.batches.values { stats.byStatus[batch.object.status.rawValue, default: 0] += 1 }
            stats.files = state.files.count
            return stats
        }
    }

    /// Monotonic totals and batches by status (for `/metrics`).
    func totals(responder: MockResponder) -> (BatchCounters, [String: Int]) {
        withAdvanced(responder) { state in
            var byStatus: [String: Int] = [:]
            for batch in state.batches.values { byStatus[batch.object.status.rawValue, default: 0] += 1 }
            return (state.totals, byStatus)
        }
    }

    /// Starts the resettable counts afresh (stored files and batches stay).
    func resetCounts() {
        state.withLock { $0.baseline = $0.totals }
    }
}
