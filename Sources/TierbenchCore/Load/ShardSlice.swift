/// One slice of a sharded run: shard `index` of `count` (0-based).
///
/// Every split is k6's striping (docs/scenarios.md "Sharded runs"): a global item g — a request number, an
/// arrival of the open-loop schedule, a trace record, a session — belongs to shard g mod count, so shard I owns
/// g = I, I + N, I + 2N, … and the shards partition every sequence exactly, with no coordinator.
public struct ShardSlice: Sendable, Hashable {
    public let index: Int
    public let count: Int

    /// The most shards a plan may have.
    public static let maxCount = 1024

    /// The unsharded run: shard 0 of 1.
    public static let whole = ShardSlice(checkedIndex: 0, count: 1)

    /// - Parameter name: The flag or variable the values came from, for the error.
    public init(index: Int, count: Int, name: String = "--shard") throws(ShardError) {
        guard (1...Self.maxCount).contains(count) else {
            throw ShardError("\(name): the shard count must be between 1 and \(Self.maxCount), got \(count)")
        }
        guard (0..<count).contains(index) else {
            throw ShardError(
                "\(name): the shard index must be between 0 and \(count - 1) (0-based, below the count \(count)), "
                    + "got \(index)")
        }
        self.index = index
        self.count = count
    }

    private init(checkedIndex: Int, count: Int) {
        self.index = checkedIndex
        self.count = count
    }

    /// Parses `I/N` (0-based I), e.g. `0/4`.
    public static func parse(_ text: String, name: String = "--shard") throws(ShardError) -> ShardSlice {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0].trimmingSpaces), let count = Int(parts[1].trimmingSpaces)
        else {
            throw ShardError("\(name) needs INDEX/COUNT with a 0-based index, e.g. 0/4 for the first of 4 shards; got '\(text)'")
        }
        return try ShardSlice(index: index, count: count, name: name)
    }

    /// `I/N`.
    public var description: String { "\(index)/\(count)" }

    /// This shard's share of `total` items striped over the shards: the number of g in 0..<total with
    /// g mod count = index (floor, plus one for the first total mod count shards). The shares sum to `total`.
    public func share(of total: Int) -> Int {
        let total = max(0, total)
        return total / count + (index < total % count ? 1 : 0)
    }

    /// Whether global item `g` is this shard's.
    public func owns(_ global: Int) -> Bool { global >= 0 && global % count == index }

    /// The global number of this shard's `local`-th item (0-based): index + local × count, saturating.
    public func global(_ local: Int) -> Int {
        let (product, overflow) = max(0, local).multipliedReportingOverflow(by: count)
        guard !overflow else { return .max }
        let (sum, overflowSum) = product.addingReportingOverflow(index)
        return overflowSum ? .max : sum
    }

    /// The items of `all` this shard owns, in order (e.g. a trace's records).
    public func stripe<Element>(_ all: [Element]) -> [Element] {
        guard count > 1 else { return all }
        return Swift.stride(from: index, to: all.count, by: count).map { all[$0] }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}
