/// A least-recently-used set of block keys with a fixed capacity: a hash index into slot arrays linked most recent
/// first. O(1) lookup, touch and eviction; memory grows with the keys held (at most `capacity` slots), never beyond.
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
