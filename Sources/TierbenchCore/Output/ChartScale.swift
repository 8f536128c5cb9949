import Foundation

/// Maps data values to chart coordinates and picks readable tick marks for one axis.
public struct ChartScale: Sendable, Hashable {
    /// How data values are spaced along the axis.
    public enum Kind: Sendable, Hashable {
        /// Evenly spaced values.
        case linear
        /// Powers of two evenly spaced (worker counts 1, 2, 4, … 64).
        case log2
        /// A percentile p in [0, 1) placed at log10(1 / (1 − p)), HdrHistogram's percentile plot: 90% at 1,
        /// 99% at 2, 99.9% at 3.
        case percentile
    }

    public var kind: Kind
    /// The data range shown (in data units; for `.percentile`, fractions).
    public var lower: Double
    public var upper: Double

    /// A scale covering `values` (with zero included for linear scales of non-negative data, and a little
    /// headroom above the largest value).
    public init(kind: Kind, covering values: [Double], includeZero: Bool = true) {
        self.kind = kind
        let finite = values.filter(\.isFinite)
        switch kind {
        case .linear:
            var low = finite.min() ?? 0
            var high = finite.max() ?? 1
            if includeZero { low = min(low, 0); high = max(high, 0) }
            if high - low < 1e-12 { high = low + (low == 0 ? 1 : abs(low) * 0.1) }
            let step = Self.niceStep((high - low) / 5)
            self.lower = (low / step).rounded(.down) * step
            self.upper = (high / step).rounded(.up) * step
        case .log2:
            let positive = finite.filter { $0 > 0 }
            self.lower = pow(2, (log2(positive.min() ?? 1)).rounded(.down))
            self.upper = max(pow(2, (log2(positive.max() ?? 2)).rounded(.up)), self.lower * 2)
        case .percentile:
            self.lower = 0
            let top = finite.filter { $0 < 1 }.max() ?? 0.99
            // At least 99%, rounded up to the next "nines".
            let nines = max(2, min(7, Self.percentileDepth(top).rounded(.up)))
            self.upper = 1 - pow(10, -nines)
        }
    }

    /// The position of `value` as a fraction 0…1 of the axis length (clamped).
    public func fraction(_ value: Double) -> Double {
        let position: Double
        switch kind {
        case .linear:
            position = (value - lower) / (upper - lower)
        case .log2:
            guard value > 0 else { return 0 }
            position = (log2(value) - log2(lower)) / (log2(upper) - log2(lower))
        case .percentile:
            position = Self.percentileDepth(value) / Self.percentileDepth(upper)
        }
        return position.isFinite ? min(max(position, 0), 1) : 0
    }

    /// Tick values with their labels.
    public func ticks(format: (Double) -> String = ReportNumber.plain) -> [(value: Double, label: String)] {
        switch kind {
        case .linear:
            let step = Self.niceStep((upper - lower) / 5)
            var out: [(Double, String)] = []
            var value = lower
            while value <= upper + step * 1e-9, out.count < 20 {
                let clean = abs(value) < step * 1e-9 ? 0 : value
                out.append((clean, format(clean)))
                value += step
            }
            return out
        case .log2:
            var out: [(Double, String)] = []
            var value = lower
            while value <= upper * 1.000001, out.count < 24 {
                out.append((value, ReportNumber.plain(value)))
                value *= 2
            }
            return out
        case .percentile:
            let depth = Int(Self.percentileDepth(upper).rounded())
            return (0...max(depth, 1)).map { nines in
                let p = 1 - pow(10, -Double(nines))
                return (p, Self.percentileLabel(nines: nines))
            }
        }
    }

    /// `0%`, `90%`, `99%`, `99.9%`, `99.99%`, … for 0, 1, 2, 3, 4 nines.
    public static func percentileLabel(nines: Int) -> String {
        switch nines {
        case ..<1: return "0%"
        case 1: return "90%"
        case 2: return "99%"
        default: return "99." + String(repeating: "9", count: nines - 2) + "%"
        }
    }

    /// log10(1 / (1 − p)): the number of "nines" of a percentile (0 at p = 0, 2 at 99%).
    public static func percentileDepth(_ p: Double) -> Double {
        guard p < 1 else { return 7 }
        return log10(1 / (1 - max(p, 0)))
    }

    /// The 1-2-5 step closest above `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, log10(raw).rounded(.down))
        let normalized = raw / magnitude
        let nice: Double = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10
        return nice * magnitude
    }
}
