import Foundation
import TierbenchCore

/// Builds the `shard` block of a shard's summary.json from the unsharded and the sharded plan.
enum ShardRecord {
    /// - Parameter scenarioAsRun: The unsharded scenario as run (canonical JSON); with the count it makes `plan_key`.
    /// - Parameter firstSend: The first and last measured send (ns after the origin), for the wall-clock send span.
    /// - Parameter firstSendLateness: How late the shard's first send was against its intended time (ns,
    ///   `t_first_send − t_int`); nil when nothing was sent.
    static func make(
        assignment: ShardAssignment, scenarioAsRun: JSONValue, whole: LoadPlan, part: LoadPlan,
        startAt: ShardStartTime?, originUnixNanos: Int64, firstSendLateness: UInt64?, firstSend: UInt64?,
        lastSend: UInt64?
    ) -> ShardInfo {
        ShardInfo(
            index: assignment.slice.index, count: assignment.slice.count, source: assignment.source,
            planKey: planKey(scenarioAsRun, count: assignment.slice.count),
            totalWorkers: whole.slotCount, workers: part.slotCount,
            totalRequests: whole.requestLimit, requests: part.requestLimit,
            startAt: startAt?.iso8601,
            firstSendOffsetMs: startAt != nil ? firstSendLateness.map { Double($0) / 1e6 } : nil,
            originUnixNs: originUnixNanos, host: hostName,
            firstSendUnixNs: firstSend.map { originUnixNanos &+ Int64(clamping: $0) },
            lastSendUnixNs: lastSend.map { originUnixNanos &+ Int64(clamping: $0) })
    }

    /// `plan_key`: the digest of the scenario's canonical JSON (sorted keys) and the shard count.
    static func planKey(_ scenarioAsRun: JSONValue, count: Int) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = (try? encoder.encode(scenarioAsRun)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return ShardPlanKey.make(canonicalScenario: text, count: count)
    }

    /// The first send's wall-clock time minus the start time, in ms (positive = late); nil without either. (The
    /// unsharded run's note; a shard records its first send's lateness instead, since its first intended send is
    /// not at the start time: open-loop shard I's first arrival is the global schedule's I-th.)
    static func firstSendOffsetMs(startAt: ShardStartTime?, originUnixNanos: Int64, firstSend: UInt64?) -> Double? {
        guard let startAt, let firstSend else { return nil }
        let wall = originUnixNanos &+ Int64(clamping: firstSend)
        return Double(wall &- startAt.unixNanos) / 1e6
    }

    /// This machine's host name (for the merge report only).
    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return bytes.isEmpty ? "unknown" : String(decoding: bytes, as: UTF8.self)
    }
}
