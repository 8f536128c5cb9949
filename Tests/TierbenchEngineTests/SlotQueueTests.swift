import Testing

@testable import TierbenchEngine

/// `SlotQueue` hands out idle slots first in, first out, across the ring's wrap-around.
@Suite struct SlotQueueTests {
    @Test func startsWithEverySlotInOrder() {
        var queue = SlotQueue(capacity: 3)
        var taken: [Int] = []
        while let slot = queue.first {
            queue.removeFirst()
            taken.append(slot)
        }
        #expect(taken == [0, 1, 2])
        #expect(queue.count == 0)
    }

    @Test func theLongestIdleSlotGoesFirstAcrossTheWrap() {
        var queue = SlotQueue(capacity: 3)
        queue.removeFirst()  // 0 busy
        queue.removeFirst()  // 1 busy
        queue.append(1)      // idle order: 2, 1
        queue.append(0)      // idle order: 2, 1, 0 (wraps)
        #expect(queue.count == 3)
        var order: [Int] = []
        for _ in 0..<3 {
            if let slot = queue.first { order.append(slot) }
            queue.removeFirst()
        }
        #expect(order == [2, 1, 0])
        queue.append(2)
        #expect(queue.first == 2)
    }
}
