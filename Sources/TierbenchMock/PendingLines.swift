/// The executed lines of a batch whose latency has not elapsed yet, earliest finish first: a binary min-heap on
/// (finish, dispatch order), so a batch of 50,000 lines with long latencies inserts and removes in O(log n).
/// Ties finish in dispatch order, as they start.
struct PendingLines: Sendable {
    private var heap: [SimulatedBatch.Pending] = []

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    /// The line that finishes first.
    var first: SimulatedBatch.Pending? { heap.first }

    private static func before(_ a: SimulatedBatch.Pending, _ b: SimulatedBatch.Pending) -> Bool {
        a.finish < b.finish || (a.finish == b.finish && a.order < b.order)
    }

    mutating func insert(_ item: SimulatedBatch.Pending) {
        heap.append(item)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the line that finishes first.
    mutating func popFirst() -> SimulatedBatch.Pending? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let first = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, Self.before(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, Self.before(heap[right], heap[smallest]) { smallest = right }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }

    /// Every line, earliest finish first (empties the heap).
    mutating func drain() -> [SimulatedBatch.Pending] {
        var items: [SimulatedBatch.Pending] = []
        items.reserveCapacity(heap.count)
        while let item = popFirst() { items.append(item) }
        return items
    }

    mutating func removeAll() { heap.removeAll() }
}
