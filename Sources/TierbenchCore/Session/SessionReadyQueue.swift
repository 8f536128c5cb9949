/// The sessions waiting for their next turn, as a binary min-heap on (due, session number): the earliest due first,
/// and on equal times the lower session number first. O(log n) per push and pop (`users` up to 100000).
struct SessionReadyQueue: Sendable {
    struct Entry: Sendable, Equatable {
        var due: UInt64
        var session: Int

        func precedes(_ other: Entry) -> Bool {
            due != other.due ? due < other.due : session < other.session
        }
    }

    private var heap: [Entry] = []

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    /// The entry `pop` would return.
    var first: Entry? { heap.first }

    mutating func push(due: UInt64, session: Int) {
        heap.append(Entry(due: due, session: session))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        guard !heap.isEmpty else { return top }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { break }
            var smallest = left
            if left + 1 < heap.count, heap[left + 1].precedes(heap[left]) { smallest = left + 1 }
            guard heap[smallest].precedes(heap[parent]) else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }

    /// Empties the queue, returning its sessions earliest first.
    mutating func drain() -> [Int] {
        var sessions: [Int] = []
        sessions.reserveCapacity(heap.count)
        while let entry = pop() { sessions.append(entry.session) }
        return sessions
    }
}
