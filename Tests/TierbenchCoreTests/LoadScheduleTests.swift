import Foundation
import Testing
import TierbenchCore

@Suite("Open-loop arrival schedules")
struct LoadScheduleTests {
    /// Gaps (s) between the first `count` intended send times.
    private func gaps(_ process: ArrivalProcess, rate: Double, count: Int, seed: UInt64 = 7) -> [Double] {
        var schedule = ArrivalSchedule(profile: RateProfile(rate: rate), process: process, seed: seed)
        var times: [UInt64] = []
        for _ in 0...count {
            guard let time = schedule.next() else { break }
            times.append(time)
        }
        return zip(times.dropFirst(), times).map { Double($0 - $1) / 1e9 }
    }

    private func meanAndCV(_ values: [Double]) -> (mean: Double, cv: Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        return (mean, variance.squareRoot() / mean)
    }

    @Test("constant arrivals start at 0 and are exactly 1/rate apart")
    func constant() {
        var schedule = ArrivalSchedule(profile: RateProfile(rate: 200), process: .constant, seed: 1)
        #expect(schedule.next() == 0)
        #expect(schedule.next() == 5_000_000)
        #expect(schedule.next() == 10_000_000)
        let (mean, cv) = meanAndCV(gaps(.constant, rate: 200, count: 2000))
        #expect(abs(mean - 0.005) < 1e-9)
        #expect(cv < 1e-6)
    }

    @Test("Poisson gaps have mean 1/rate and a coefficient of variation of 1", arguments: [1 as UInt64, 2, 3])
    func poisson(seed: UInt64) {
        let (mean, cv) = meanAndCV(gaps(.poisson, rate: 200, count: 20_000, seed: seed))
        #expect(abs(mean - 0.005) / 0.005 < 0.03)
        #expect(cv > 0.95 && cv < 1.05)
    }

    @Test("gamma gaps keep the mean and have CV 1/√burstiness", arguments: [0.25, 0.5, 4.0])
    func gamma(burstiness: Double) {
        let (mean, cv) = meanAndCV(gaps(.gamma(burstiness: burstiness), rate: 100, count: 40_000))
        #expect(abs(mean - 0.01) / 0.01 < 0.04)
        #expect(abs(cv - 1 / burstiness.squareRoot()) < 0.06)
    }

    @Test("a linear ramp sends the integral of its rate")
    func ramp() {
        // 0 → 100 req/s over 10 s, then 100 req/s for 10 s: 500 + 1000 arrivals expected.
        let profile = RateProfile(startRate: 0, stages: [.init(duration: 10, target: 100), .init(duration: 10, target: 100)])
        #expect(abs(profile.cumulative(at: 10) - 500) < 1e-9)
        #expect(abs(profile.cumulative(at: 20) - 1500) < 1e-9)
        #expect(abs(profile.rate(at: 5) - 50) < 1e-9)
        for arrivals in [1.0, 250, 499, 500, 501, 1499] {
            let time = profile.time(atCumulative: arrivals) ?? -1
            #expect(abs(profile.cumulative(at: time) - arrivals) < 1e-6)
        }
        var schedule = ArrivalSchedule(profile: profile, process: .constant, seed: 1)
        var count = 0
        while let time = schedule.next(), time < 20_000_000_000 { count += 1 }
        #expect(count == 1500)
    }

    @Test("a rate that drops to zero ends the schedule")
    func rampDown() {
        let profile = RateProfile(startRate: 10, stages: [.init(duration: 2, target: 0)])
        var schedule = ArrivalSchedule(profile: profile, process: .constant, seed: 1)
        var count = 0
        while schedule.next() != nil, count < 100 { count += 1 }
        #expect(count == 10)
    }
}
