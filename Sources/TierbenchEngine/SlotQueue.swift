/// Idle slots in the order they became idle: a fixed-capacity ring, so taking and returning a slot never allocates.
///
/// First in, first out: in a closed loop held back by the client throttle, the worker that has waited longest
/// sends next, as in a fair worker pool; a stack would let the last finished worker go again while the others
/// starve, and their waits would never be measured.
struct SlotQueue {
    private var ring: [Int]
    private var head = 0
    /// Idle slots.
    private(set) var count: Int

    /// A queue holding slots `0..<capacity`, slot 0 first.
    init(capacity: Int) {
        ring = Array(0..<capacity)
        count = capacity
    }

    /// The slot that has been idle longest, if any.
    var first: Int? { count > 0 ? ring[head] : nil }

    /// Removes the slot that has been idle longest. - Precondition: the queue is not empty.
    mutating func removeFirst() {
        precondition(count > 0, "no idle slot")
        head = head + 1 == ring.count ? 0 : head + 1
        count -= 1
    }

    /// Adds `slot` as the most recently idle. - Precondition: fewer than `capacity` slots are idle.
    mutating func append(_ slot: Int) {
        precondition(count < ring.count, "more idle slots than slots")
        var tail = head + count
        if tail >= ring.count { tail -= ring.count }
        ring[tail] = slot
        count += 1
    }
}
