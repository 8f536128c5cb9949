/// The whole machine's CPU time counters, from the first line of Linux's `/proc/stat`
/// (`cpu  user nice system idle iowait irq softirq steal guest guest_nice`, in clock ticks). The self-check samples
/// them at the start and end of the load (docs/metrics.md, "Self-check"): a machine whose cores are busy with other
/// work — a target or `tierbench mock` in another process, other jobs — delays tierbench's wake-ups too.
public struct MachineCPUTimes: Sendable, Hashable {
    /// Ticks spent on anything but idle and waiting for IO (user, nice, system, irq, softirq, steal).
    public var busy: UInt64
    /// All ticks of the first eight fields (guest time is already part of user and nice).
    public var total: UInt64

    public init(busy: UInt64, total: UInt64) {
        self.busy = busy
        self.total = total
    }

    /// Reads the aggregate `cpu` line of `/proc/stat` text; nil when it is missing or has fewer than four numbers.
    public static func parse(procStat text: String) -> MachineCPUTimes? {
        guard let line = text.split(separator: "\n", omittingEmptySubsequences: true).first(where: {
            $0.hasPrefix("cpu ")
        }) else { return nil }
        let fields = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().prefix(8)
        var values: [UInt64] = []
        for field in fields {
            guard let value = UInt64(field) else { return nil }
            values.append(value)
        }
        guard values.count >= 4 else { return nil }
        var total: UInt64 = 0
        for value in values { total &+= value }
        let idle = values[3] &+ (values.count > 4 ? values[4] : 0)
        return MachineCPUTimes(busy: total &- min(idle, total), total: total)
    }

    /// The share of the machine's CPU time that was busy between `start` and `end` (0 … 1); nil when no time passed
    /// or the counters went backwards.
    public static func busyShare(from start: MachineCPUTimes, to end: MachineCPUTimes) -> Double? {
        guard end.total > start.total, end.busy >= start.busy else { return nil }
        return min(1, Double(end.busy - start.busy) / Double(end.total - start.total))
    }
}
