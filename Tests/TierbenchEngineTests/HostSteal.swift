import Foundation

/// CPU time the hypervisor gave to other guests while this VM wanted to run: the `steal` column of `/proc/stat`,
/// summed over all CPUs, in clock ticks (USER_HZ, 1/100 s on Linux).
///
/// On this VM kind a thread that never sleeps is still descheduled for 0.3–3 ms at a time, in bursts, and the
/// bursts show here. Timing tests use it to tell a generator that missed its schedule from a host that took the CPU.
enum HostSteal {
    /// Steal ticks since boot; nil where `/proc/stat` is missing or has no steal column.
    static func ticks() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") })
        else { return nil }
        // cpu user nice system idle iowait irq softirq steal …
        let fields = line.split(separator: " ")
        guard fields.count > 8 else { return nil }
        return Int(fields[8])
    }

    /// Runs `body` and returns its result with the steal ticks that accrued meanwhile (nil when unknown).
    static func measure<T>(_ body: () async throws -> T) async rethrows -> (T, steal: Int?) {
        let before = ticks()
        let result = try await body()
        guard let before, let after = ticks() else { return (result, nil) }
        return (result, after - before)
    }
}
