import Foundation

/// JSON for `GET /mock/stats` (not on the hot path, so a plain encoder with sorted keys).
enum MockStatsJSON {
    static func encode(_ stats: MockStats) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(stats)).map { Array($0) } ?? Array("{}".utf8)
    }
}
