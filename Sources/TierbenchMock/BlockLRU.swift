/// A least-recently-used set of block keys with a fixed capacity: a hash index into slot arrays linked most recent
/// first. O(1) lookup, touch and eviction; memory grows with the keys held (at most `capacity` slots), never beyond:
/// once half full, the arrays and the index reserve exactly `capacity`, so they never double past it. Per block
/// that is 16 bytes of slot arrays (key 8, two links 4 each) and at most 8/3 hash buckets of about 12 bytes (key 8,
/// slot 4, a metadata bit; at most 3/4 of the buckets, a power of two, are used): under 49 bytes.
/// Not thread-safe: `PrefixCache` guards it with a mutex.
struct BlockLRU {
    let capacity: Int
    private var index: [UInt64: Int32] = [:]
    private var keys: [UInt64] = []
    private var older: [Int32] = []
    private var newer: [Int32] = []
    /// Most and least recently used slots; -1 when empty.
    private var newest: Int32 = -1
    private var oldest: Int32 = -1

    /// - Parameter capacity: keys held at most (≥ 1; `MockPrefixCacheSettings.maxCapacityBlocks` bounds it).
    init(capacity: Int) {
        self.capacity = max(1, min(capacity, Int(Int32.max)))
    }

    var count: Int { index.count }

    /// Slots the arrays have room for (about `capacity` once half full, never a doubling past it).
    var reservedSlots: Int { keys.capacity }

    func contains(_ key: UInt64) -> Bool { index[key] != nil }

    /// Makes `key` the most recently used, inserting it (and evicting the least recently used key when full).
    mutating func touch(_ key: UInt64) {
        if let slot = index[key] {
            guard slot != newest else { return }
            unlink(slot)
            linkNewest(slot)
            return
        }
        let slot: Int32
        if keys.count < capacity {
            // Past half the capacity, reserve the rest at once: the arrays and the index then end at `capacity`
            // rather than at the next doubling.
            if keys.count == capacity / 2, keys.capacity < capacity { reserveFullCapacity() }
            slot = Int32(keys.count)
            keys.append(key)
            older.append(-1)
            newer.append(-1)
        } else {
            slot = oldest
            index[keys[Int(slot)]] = nil
            unlink(slot)
            keys[Int(slot)] = key
        }
        index[key] = slot
        linkNewest(slot)
    }

    /// The keys from most to least recently used (for tests and diagnostics).
    var keysByRecency: [UInt64] {
        var result: [UInt64] = []
        var slot = newest
        while slot >= 0 {
            result.append(keys[Int(slot)])
            slot = older[Int(slot)]
        }
        return result
    }

    private mutating func reserveFullCapacity() {
        keys.reserveCapacity(capacity)
        older.reserveCapacity(capacity)
        newer.reserveCapacity(capacity)
        index.reserveCapacity(capacity)
    }

    private mutating func unlink(_ slot: Int32) {
        let before = older[Int(slot)]
        let after = newer[Int(slot)]
        if after >= 0 { older[Int(after)] = before } else { newest = before }
        if before >= 0 { newer[Int(before)] = after } else { oldest = after }
        older[Int(slot)] = -1
        newer[Int(slot)] = -1
    }

    private mutating func linkNewest(_ slot: Int32) {
        older[Int(slot)] = newest
        newer[Int(slot)] = -1
        if newest >= 0 { newer[Int(newest)] = slot } else { oldest = slot }
        newest = slot
    }
}
