/// Slots waiting to retry, ordered by when their backoff ends: a binary min-heap of (due time, slot).
///
/// Capacity is reserved once for every slot, so pushing and popping never allocate.
struct RetryQueue {
    private var heap: [(due: UInt64, slot: Int)] = []

    init(capacity: Int) { heap.reserveCapacity(capacity) }

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    /// The earliest due time (monotonic ns), if any.
    var nextDue: UInt64? { heap.first?.due }

    mutating func push(due: UInt64, slot: Int) {
        heap.append((due, slot))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].due < heap[parent].due else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the slot whose backoff ended first, if it is due at `now`.
    mutating func popDue(now: UInt64) -> Int? {
        guard let first = heap.first, first.due <= now else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < heap.count && heap[left].due < heap[smallest].due { smallest = left }
                if right < heap.count && heap[right].due < heap[smallest].due { smallest = right }
                guard smallest != parent else { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first.slot
    }

    mutating func removeAll() { heap.removeAll(keepingCapacity: true) }
}
