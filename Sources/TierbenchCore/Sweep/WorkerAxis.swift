import Foundation

/// The `max_workers` axis of a sweep: an explicit list, or a geometric range expanded to distinct integers.
///
/// YAML: `max_workers: [1, 2, 4, 8]`, `max_workers: { from: 1, to: 64, factor: 2 }` or
/// `max_workers: { from: 1, to: 64, steps: 7 }`.
public enum WorkerAxis: Sendable, Equatable, Hashable, Codable {
    /// Exactly these worker counts (sorted and deduplicated on expansion).
    case list([Int])
    /// `from`, `from·factor`, `from·factor²`, … while ≤ `to`, then `to` itself; each rounded to an integer.
    case geometric(from: Int, to: Int, factor: Double)
    /// `steps` values spaced evenly on a log scale from `from` to `to` inclusive, rounded to integers;
    /// rounding can merge neighbours, so there may be fewer than `steps` distinct values.
    case geometricSteps(from: Int, to: Int, steps: Int)

    /// The distinct worker counts, ascending. Invalid ranges (see `problems`) expand to what is well defined,
    /// possibly nothing.
    public var values: [Int] {
        var result: [Int]
        switch self {
        case .list(let items):
            result = items.filter { $0 >= 1 }
        case .geometric(let from, let to, let factor):
            guard from >= 1, to >= from, factor > 1, factor.isFinite else { return [] }
            result = []
            var value = Double(from)
            // A small tolerance keeps 1·2⁶ = 64 inside a range ending at 64 despite rounding.
            while value <= Double(to) * (1 + 1e-9) {
                result.append(Int(value.rounded()))
                value *= factor
            }
            result.append(to)
        case .geometricSteps(let from, let to, let steps):
            guard from >= 1, to >= from, steps >= 1 else { return [] }
            guard steps > 1, to > from else { return [from] }
            let ratio = Double(to) / Double(from)
            result = (0..<steps).map { index in
                Int((Double(from) * pow(ratio, Double(index) / Double(steps - 1))).rounded())
            }
        }
        return Array(Set(result)).sorted()
    }

    /// Human-readable problems with this axis; empty when it is valid.
    public var problems: [String] {
        switch self {
        case .list(let items):
            var found: [String] = []
            if items.isEmpty { found.append("max_workers: the list is empty") }
            for item in items where item < 1 || item > ScenarioLimits.maxWorkers {
                found.append("max_workers: \(item) is outside 1…\(ScenarioLimits.maxWorkers)")
            }
            if Set(items).count != items.count { found.append("max_workers: a worker count is listed twice") }
            return found
        case .geometric(let from, let to, let factor):
            var found = Self.rangeProblems(from: from, to: to)
            if !(factor > 1) || !factor.isFinite {
                found.append("max_workers.factor: \(factor) must be greater than 1")
            }
            return found
        case .geometricSteps(let from, let to, let steps):
            var found = Self.rangeProblems(from: from, to: to)
            if steps < 2 { found.append("max_workers.steps: \(steps) must be at least 2") }
            return found
        }
    }

    private static func rangeProblems(from: Int, to: Int) -> [String] {
        var found: [String] = []
        if from < 1 { found.append("max_workers.from: \(from) is below 1") }
        if to > ScenarioLimits.maxWorkers { found.append("max_workers.to: \(to) is above \(ScenarioLimits.maxWorkers)") }
        if to < from { found.append("max_workers.to: \(to) is below from (\(from))") }
        return found
    }

    private enum RangeKeys: String, CodingKey {
        case from, to, factor, steps
    }

    public init(from decoder: any Decoder) throws {
        if let list = try? decoder.singleValueContainer().decode([Int].self) {
            self = .list(list)
            return
        }
        let container = try decoder.container(keyedBy: RangeKeys.self)
        let from = try container.decode(Int.self, forKey: .from)
        let to = try container.decode(Int.self, forKey: .to)
        let factor = try container.decodeIfPresent(Double.self, forKey: .factor)
        let steps = try container.decodeIfPresent(Int.self, forKey: .steps)
        switch (factor, steps) {
        case (let factor?, nil): self = .geometric(from: from, to: to, factor: factor)
        case (nil, let steps?): self = .geometricSteps(from: from, to: to, steps: steps)
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .factor, in: container,
                debugDescription: "a max_workers range needs exactly one of factor and steps")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .list(let items):
            var container = encoder.singleValueContainer()
            try container.encode(items)
        case .geometric(let from, let to, let factor):
            var container = encoder.container(keyedBy: RangeKeys.self)
            try container.encode(from, forKey: .from)
            try container.encode(to, forKey: .to)
            try container.encode(factor, forKey: .factor)
        case .geometricSteps(let from, let to, let steps):
            var container = encoder.container(keyedBy: RangeKeys.self)
            try container.encode(from, forKey: .from)
            try container.encode(to, forKey: .to)
            try container.encode(steps, forKey: .steps)
        }
    }
}
