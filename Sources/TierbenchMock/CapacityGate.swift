import Synchronization

/// A FIFO counting semaphore for "concurrent generations": beyond `capacity`, requests wait in arrival order, so
/// latency grows with load as on a real server. Waiting suspends the task (Hummingbird's path) or parks a callback
/// (the fast path, `acquire(onGrant:)`); no thread is blocked. Both kinds wait in the same FIFO.
final class CapacityGate: Sendable {
    private enum Resume {
        case continuation(CheckedContinuation<Bool, Never>)
        case callback(@Sendable () -> Void)
    }

    private struct Waiter {
        var id: UInt64
        var resume: Resume
    }

    private struct State {
        var available: Int
        var waiters: [Waiter] = []
        /// Index of the first live waiter in `waiters` (a ring that is compacted as it drains).
        var head = 0
        var nextID: UInt64 = 0
        var queued: Int { waiters.count - head }
    }

    let capacity: Int
    private let state: Mutex<State>

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        self.state = Mutex(State(available: max(1, capacity)))
    }

    /// Requests waiting for a slot.
    var queued: Int { state.withLock { $0.queued } }

    /// Waits for a slot. Returns false (without a slot) if the task was cancelled while waiting.
    func acquire() async -> Bool {
        let immediate: UInt64? = state.withLock { state in
            if state.available > 0 && state.queued == 0 {
                state.available -= 1
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id = immediate else { return true }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                // A slot may have been freed since the first look: take it rather than wait for nobody.
                let resumeNow = state.withLock { state -> Bool? in
                    if Task.isCancelled { return false }
                    if state.available > 0 && state.queued == 0 {
                        state.available -= 1
                        return true
                    }
                    state.waiters.append(Waiter(id: id, resume: .continuation(continuation)))
                    return nil
                }
                if let resumeNow { continuation.resume(returning: resumeNow) }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                guard let index = state.waiters[state.head...].firstIndex(where: { $0.id == id }),
                    case .continuation(let continuation) = state.waiters.remove(at: index).resume
                else { return nil }
                return continuation
            }
            cancelled?.resume(returning: false)
        }
    }

    /// Takes a slot now (returns nil) or queues `onGrant`, called (on the releasing thread) when the slot is handed
    /// over, and returns the waiter's id for `cancel`; the caller then holds the slot and must `release()` it.
    func acquire(onGrant: @escaping @Sendable () -> Void) -> UInt64? {
        state.withLock { state in
            if state.available > 0 && state.queued == 0 {
                state.available -= 1
                return nil
            }
            state.nextID += 1
            state.waiters.append(Waiter(id: state.nextID, resume: .callback(onGrant)))
            return state.nextID
        }
    }

    /// Takes the queued callback `id` out of the queue (its connection went away); false when it is no longer
    /// queued (its grant has been handed over: the callback runs, and its slot must be released as usual).
    func cancel(_ id: UInt64) -> Bool {
        state.withLock { state in
            guard let index = state.waiters[state.head...].firstIndex(where: { $0.id == id }) else { return false }
            state.waiters.remove(at: index)
            return true
        }
    }

    /// Frees a slot, handing it to the longest waiter if there is one.
    func release() {
        let next = state.withLock { state -> Resume? in
            guard state.queued > 0 else {
                state.available = min(capacity, state.available + 1)
                return nil
            }
            let waiter = state.waiters[state.head]
            state.head += 1
            if state.head > 64 && state.head * 2 > state.waiters.count {
                state.waiters.removeFirst(state.head)
                state.head = 0
            }
            return waiter.resume
        }
        switch next {
        case .continuation(let continuation): continuation.resume(returning: true)
        case .callback(let grant): grant()
        case nil: break
        }
    }
}
