/// Requests over time in bounded memory: a fixed number of equal buckets keyed by completion time.
///
/// Buckets start 1 s wide. When a completion falls beyond the last bucket, the width doubles and neighbouring
/// buckets are folded pairwise, so any run length fits in `capacity` buckets (a 1 h run at 1024 buckets ends with
/// 4 s buckets). Every request is counted here, warmup included, because charts show the whole run.
/// Recording is O(1) amortised and never allocates.
public struct RequestTimeSeries: Sendable, Hashable {
    /// Number of buckets kept.
    public let capacity: Int
    /// Current bucket width (ns); a power of two times one second.
    public private(set) var bucketNanos: UInt64 = 1_000_000_000
    /// Requests completed per bucket.
    public private(set) var requests: [Int]
    /// Failed requests per bucket.
    public private(set) var errors: [Int]
    /// 429 responses per bucket.
    public private(set) var rateLimited: [Int]
    /// Sum of successful requests' service times per bucket (µs), for a per-bucket mean.
    public private(set) var latencySumMicros: [UInt64]
    /// Successful requests' service times per bucket in `LatencyBins` (µs, 8 bins per power of two), for
    /// per-bucket percentiles: `LatencyBins.count` entries per bucket, bucket k at k × LatencyBins.count.
    public private(set) var latencyBins: [UInt32]
    /// Index of the last bucket that holds anything, or -1 when empty.
    public private(set) var lastUsed = -1

    /// An empty series of `capacity` buckets (at least 2).
    public init(capacity: Int = 1024) {
        self.capacity = max(capacity, 2)
        requests = [Int](repeating: 0, count: self.capacity)
        errors = requests
        rateLimited = requests
        latencySumMicros = [UInt64](repeating: 0, count: self.capacity)
        latencyBins = [UInt32](repeating: 0, count: self.capacity * LatencyBins.count)
    }

    /// Counts one completed request.
    /// - Parameters:
    ///   - end: completion time, ns since run start.
    ///   - failed: whether the request failed.
    ///   - status: its HTTP status (429 is counted separately).
    ///   - serviceMicros: its service time (µs), added to the bucket's latency sum when it succeeded.
    @inline(__always)
    public mutating func record(end: UInt64, failed: Bool, status: Int, serviceMicros: UInt64) {
        var slot = Int(clamping: end / bucketNanos)
        while slot >= capacity {
            coarsen()
            slot = Int(clamping: end / bucketNanos)
        }
        requests[slot] &+= 1
        if failed {
            errors[slot] &+= 1
        } else {
            latencySumMicros[slot] &+= serviceMicros
            latencyBins[slot &* LatencyBins.count &+ LatencyBins.index(micros: serviceMicros)] &+= 1
        }
        if status == 429 { rateLimited[slot] &+= 1 }
        if slot > lastUsed { lastUsed = slot }
    }

    /// Doubles the bucket width, folding buckets 2k and 2k+1 into k.
    public mutating func coarsen() {
        for target in 0..<capacity {
            let first = 2 * target
            if first < capacity {
                let second = first + 1
                requests[target] = value(requests, first) &+ value(requests, second)
                errors[target] = value(errors, first) &+ value(errors, second)
                rateLimited[target] = value(rateLimited, first) &+ value(rateLimited, second)
                latencySumMicros[target] = value(latencySumMicros, first) &+ value(latencySumMicros, second)
            } else {
                requests[target] = 0
                errors[target] = 0
                rateLimited[target] = 0
                latencySumMicros[target] = 0
            }
        }
        let bins = LatencyBins.count
        for target in 0..<capacity {
            let first = 2 * target
            for bin in 0..<bins {
                let a = first < capacity ? latencyBins[first * bins + bin] : 0
                let b = first + 1 < capacity ? latencyBins[(first + 1) * bins + bin] : 0
                latencyBins[target * bins + bin] = a &+ b
            }
        }
        bucketNanos &*= 2
        lastUsed = lastUsed < 0 ? -1 : lastUsed / 2
    }

    /// The `quantile` (0…1) of bucket `slot`'s successful service times (µs, within 6.25%); nil without successes.
    public func latencyPercentileMicros(_ quantile: Double, slot: Int) -> Double? {
        guard slot >= 0, slot < capacity else { return nil }
        let base = slot * LatencyBins.count
        return LatencyBins.percentile(quantile, counts: latencyBins[base..<(base + LatencyBins.count)])
    }

    private func value<T: FixedWidthInteger>(_ array: [T], _ index: Int) -> T {
        index < array.count ? array[index] : 0
    }

    /// Adds every bucket of `other`, first coarsening whichever series has narrower buckets.
    public mutating func merge(_ other: RequestTimeSeries) {
        var other = other
        while bucketNanos < other.bucketNanos { coarsen() }
        while other.bucketNanos < bucketNanos { other.coarsen() }
        // A series with more buckets may reach past ours: fold both until its last bucket fits.
        while other.lastUsed >= capacity {
            coarsen()
            other.coarsen()
        }
        guard other.lastUsed >= 0 else { return }
        for slot in 0...other.lastUsed {
            requests[slot] &+= other.requests[slot]
            errors[slot] &+= other.errors[slot]
            rateLimited[slot] &+= other.rateLimited[slot]
            latencySumMicros[slot] &+= other.latencySumMicros[slot]
            let base = slot * LatencyBins.count
            for bin in base..<(base + LatencyBins.count) { latencyBins[bin] &+= other.latencyBins[bin] }
        }
        lastUsed = max(lastUsed, other.lastUsed)
    }
}
