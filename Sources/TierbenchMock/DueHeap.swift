/// A binary min-heap of scheduled tasks by due time (monotonic ns), ties in the order they were added: the
/// `StreamTicker`'s queue. Push and pop are O(log n); the earliest is read in O(1).
struct DueHeap {
    private struct Entry {
        var due: UInt64
        var order: UInt64
        var task: any TickTask
    }

    private var entries: [Entry] = []
    private var nextOrder: UInt64 = 0

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    /// The earliest due time; nil when empty.
    var earliest: UInt64? { entries.first?.due }

    mutating func push(_ task: any TickTask, due: UInt64) {
        entries.append(Entry(due: due, order: nextOrder, task: task))
        nextOrder &+= 1
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(entries[child], entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest task if it is due by `horizon`.
    mutating func pop(dueBy horizon: UInt64) -> (task: any TickTask, due: UInt64)? {
        guard let first = entries.first, first.due <= horizon else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < entries.count else { break }
                var smallest = left
                let right = left + 1
                if right < entries.count && Self.before(entries[right], entries[left]) { smallest = right }
                guard Self.before(entries[smallest], entries[parent]) else { break }
                entries.swapAt(smallest, parent)
                parent = smallest
            }
        }
        return (first.task, first.due)
    }

    private static func before(_ a: Entry, _ b: Entry) -> Bool {
        a.due < b.due || (a.due == b.due && a.order < b.order)
    }
}
