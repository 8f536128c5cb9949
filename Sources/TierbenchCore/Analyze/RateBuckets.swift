/// Events counted per time bucket at three resolutions at once — 1 s, 1 min and 1 h — for "request frequency over
/// time". Memory is bounded by the span, never by the number of rows: 1 s buckets cover at most the first 7 days,
/// 1 min and 1 h buckets at most `maxSpanSeconds`; the caller refuses times outside that window.
struct RateBuckets: Sendable {
    /// The widest span counted (s): 366 days.
    static let maxSpanSeconds = 366.0 * 86_400
    /// The widest span counted at 1 s resolution (s): 7 days.
    static let maxSecondSpan = 7 * 86_400

    private(set) var seconds: [UInt32] = []
    private(set) var secondErrors: [UInt32] = []
    private(set) var minutes: [UInt32] = []
    private(set) var minuteErrors: [UInt32] = []
    private(set) var hours: [UInt32] = []
    private(set) var hourErrors: [UInt32] = []
    /// Events past the 1 s window (still in the minute and hour buckets).
    private(set) var beyondSecondWindow = 0
    /// The latest event (s from the origin): where the last bucket's coverage ends.
    private(set) var lastOffsetSeconds = 0.0

    /// Counts one event at `offsetSeconds` (0 ≤ offset < `maxSpanSeconds`) from the origin.
    mutating func record(offsetSeconds: Double, failed: Bool) {
        lastOffsetSeconds = max(lastOffsetSeconds, offsetSeconds)
        let second = Int(offsetSeconds)
        if second < Self.maxSecondSpan {
            Self.add(&seconds, &secondErrors, at: second, failed: failed)
        } else {
            beyondSecondWindow &+= 1
        }
        Self.add(&minutes, &minuteErrors, at: second / 60, failed: failed)
        Self.add(&hours, &hourErrors, at: second / 3_600, failed: failed)
    }

    private static func add(_ counts: inout [UInt32], _ errors: inout [UInt32], at index: Int, failed: Bool) {
        if index >= counts.count {
            counts.append(contentsOf: repeatElement(0, count: index + 1 - counts.count))
            errors.append(contentsOf: repeatElement(0, count: index + 1 - errors.count))
        }
        counts[index] &+= 1
        if failed { errors[index] &+= 1 }
    }

    /// Adds another file's counts, aligned at the origin.
    mutating func merge(_ other: RateBuckets) {
        func add(_ mine: inout [UInt32], _ theirs: [UInt32]) {
            if theirs.count > mine.count { mine.append(contentsOf: repeatElement(0, count: theirs.count - mine.count)) }
            for (index, value) in theirs.enumerated() { mine[index] &+= value }
        }
        add(&seconds, other.seconds)
        add(&secondErrors, other.secondErrors)
        add(&minutes, other.minutes)
        add(&minuteErrors, other.minuteErrors)
        add(&hours, other.hours)
        add(&hourErrors, other.hourErrors)
        beyondSecondWindow &+= other.beyondSecondWindow
        lastOffsetSeconds = max(lastOffsetSeconds, other.lastOffsetSeconds)
    }

    /// The series worth showing for a span of `spanSeconds`: 1 s when the span is at most 3 h (and inside the 1 s
    /// window), 1 min when it is at least 2 min, 1 h when it is at least 3 h; at least one of them.
    func series(spanSeconds: Double) -> [FrequencySeries] {
        var out: [FrequencySeries] = []
        if spanSeconds <= 3 * 3_600 && beyondSecondWindow == 0 {
            out.append(FrequencySeries(resolutionS: 1, counts: seconds, errors: secondErrors, lastBucketS: lastBucket(1)))
        }
        if spanSeconds >= 120 || out.isEmpty {
            out.append(FrequencySeries(resolutionS: 60, counts: minutes, errors: minuteErrors, lastBucketS: lastBucket(60)))
        }
        if spanSeconds >= 3 * 3_600 {
            out.append(FrequencySeries(resolutionS: 3_600, counts: hours, errors: hourErrors, lastBucketS: lastBucket(3_600)))
        }
        return out
    }

    /// How much of the last bucket of `width` seconds the events cover: from its start to the latest event, at
    /// least 1 s (and at most the bucket).
    func lastBucket(_ width: Int) -> Double {
        let start = (lastOffsetSeconds / Double(width)).rounded(.down) * Double(width)
        return LogAnalysis.round3(min(max(lastOffsetSeconds - start, 1), Double(width)))
    }

    /// Counts per window of `width` seconds (a multiple of 1, 60 or 3600), from the finest series that divides it,
    /// and the seconds from the origin to the latest event, rounded up (the last window may be shorter than `width`).
    func windows(width: Int) -> (counts: [Int], coveredS: Int) {
        let (source, unit): ([UInt32], Int)
        if width >= 3_600 && width % 3_600 == 0 {
            (source, unit) = (hours, 3_600)
        } else if width >= 60 && width % 60 == 0 {
            (source, unit) = (minutes, 60)
        } else {
            (source, unit) = (seconds, 1)
        }
        let per = max(width / unit, 1)
        var out = Array(repeating: 0, count: (source.count + per - 1) / per)
        for (index, value) in source.enumerated() { out[index / per] &+= Int(value) }
        return (out, max(Int(lastOffsetSeconds.rounded(.up)), 1))
    }
}

/// Requests (or sessions) started per bucket, and how many of them failed.
public struct FrequencySeries: Sendable, Hashable, Codable {
    /// Bucket width (s): 1, 60 or 3600.
    public var resolutionS: Int
    /// Events per bucket, from the origin.
    public var counts: [UInt32]
    /// Failed events per bucket.
    public var errors: [UInt32]
    /// Seconds of the last bucket the data covers (origin to the latest event, at least 1 s): rates in the last
    /// bucket are its count divided by this.
    public var lastBucketS: Double

    enum CodingKeys: String, CodingKey {
        case counts, errors
        case resolutionS = "resolution_s"
        case lastBucketS = "last_bucket_s"
    }
}
