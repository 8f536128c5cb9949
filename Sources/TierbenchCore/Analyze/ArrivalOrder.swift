/// Puts arrival times back in time order and measures the gaps between consecutive arrivals.
///
/// `requests.jsonl` is written in completion order, so a request sent earlier may be logged later. Arrivals go
/// into a min-heap of at most `window` entries; once it is full the earliest is released, so the gaps are exact as
/// long as no row is logged more than `window` rows after a later-sent one (a run would need that many requests in
/// flight). A row that arrives too late to be put in order is counted in `outOfOrder` and left out of the gaps.
/// Memory: the heap only, never one entry per row.
struct ArrivalOrder: Sendable {
    /// Rows held back for reordering.
    static let defaultWindow = 65_536

    private let window: Int
    private var heap: [Double] = []
    private(set) var last: Double?
    private(set) var first: Double?
    /// Gaps between consecutive arrivals (ns in the histogram; the mean and variance are exact).
    private(set) var gaps = DurationHistogram()
    /// Arrivals released in order (the gaps count is one less).
    private(set) var released = 0
    /// Arrivals that came after a later one had already been released.
    private(set) var outOfOrder = 0
    /// The gaps' moments per second and minute (for the CV inside windows).
    private(set) var moments = GapMoments()

    init(window: Int = ArrivalOrder.defaultWindow) {
        self.window = max(window, 1)
        heap.reserveCapacity(min(self.window, 4_096))
    }

    /// The span from the first to the last arrival released (ms).
    var spanMs: Double { (last ?? 0) - (first ?? 0) }

    /// Adds an arrival (ms from the file's origin).
    mutating func add(_ milliseconds: Double) {
        push(milliseconds)
        if heap.count > window { release(pop()) }
    }

    /// Releases every arrival still held (at the end of the file).
    mutating func finish() {
        while !heap.isEmpty { release(pop()) }
    }

    private mutating func release(_ time: Double) {
        if let previous = last {
            guard time >= previous else {
                outOfOrder &+= 1
                return
            }
            let nanos = ((time - previous) * 1e6).rounded()
            gaps.record(nanoseconds: nanos < 1.8e19 ? UInt64(nanos) : UInt64(1.8e19))
            moments.add(offsetSeconds: time / 1_000, gapMs: time - previous)
        } else {
            first = time
        }
        last = time
        released &+= 1
    }

    private mutating func push(_ value: Double) {
        heap.append(value)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child] < heap[parent] else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func pop() -> Double {
        let top = heap[0]
        let lastValue = heap.removeLast()
        guard !heap.isEmpty else { return top }
        heap[0] = lastValue
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { break }
            let right = left + 1
            let smaller = right < heap.count && heap[right] < heap[left] ? right : left
            guard heap[smaller] < heap[parent] else { break }
            heap.swapAt(smaller, parent)
            parent = smaller
        }
        return top
    }
}
