/// Expands a sweep spec into the points to run, and groups measured points into curves.
public enum SweepGrid {
    /// Every point of the coarse grid in run order: tier, model, batch size, rate (closed loop first), then
    /// workers ascending — the order of each list in the spec, so the expansion is deterministic.
    public static func expand(_ spec: SweepSpec) -> [SweepPoint.Settings] {
        let workers = spec.maxWorkers.values
        let rates: [Double?] = spec.rates.isEmpty ? [nil] : spec.rates.map { Optional($0) }
        var settings: [SweepPoint.Settings] = []
        settings.reserveCapacity(spec.tiers.count * spec.models.count * spec.batchSizes.count * workers.count)
        for tier in spec.tiers {
            for model in spec.models {
                for batchSize in spec.batchSizes {
                    for rate in rates {
                        for count in workers {
                            settings.append(
                                SweepPoint.Settings(
                                    tier: tier, model: model, batchSize: batchSize, rate: rate, maxWorkers: count))
                        }
                    }
                }
            }
        }
        return settings
    }

    /// The points of `spec`'s grid not yet in `finished` (for `--resume`), in run order.
    public static func remaining(_ spec: SweepSpec, finished: [SweepPoint.Settings]) -> [SweepPoint.Settings] {
        let done = Set(finished)
        return expand(spec).filter { !done.contains($0) }
    }

    /// Groups `results` into curves, in order of first appearance; within a curve, workers ascend.
    public static func curves(_ results: [SweepPointResult]) -> [SweepCurve] {
        var order: [SweepCurve.Key] = []
        var grouped: [SweepCurve.Key: [SweepPointResult]] = [:]
        for result in results {
            let key = result.settings.curveKey
            if grouped[key] == nil { order.append(key) }
            grouped[key, default: []].append(result)
        }
        return order.map { SweepCurve(key: $0, points: grouped[$0] ?? []) }
    }
}
