import Foundation
import Synchronization
import TierbenchCore
import TierbenchCurl
@testable import TierbenchEngine

/// Runs `scenario` with the harness's metrics endpoint on a free 127.0.0.1 port and `linger` after the run, and
/// scrapes `/metrics` once the run has written summary.json (so during the linger, with the final figures).
/// - Returns: the run's report, the scraped text (nil when no scrape succeeded within `timeoutSeconds`) and the
///   bound port.
func runAndScrapeDuringLinger(
    _ scenario: TestScenario, linger: TimeSpan, timeoutSeconds: Int = 20
) async throws -> (report: RunReport, text: String?, port: Int?) {
    let port = Mutex<Int?>(nil)
    var options = scenario.options()
    options.metricsPort = 0
    options.metricsHost = "127.0.0.1"
    options.metricsLinger = linger
    options.onMetricsListening = { bound in port.withLock { $0 = bound } }
    let client = CurlClient()
    defer { client.shutdown() }
    async let run = Runner.run(options)
    var scraped: String?
    for _ in 0..<(timeoutSeconds * 10) {
        try await Task.sleep(nanoseconds: 100_000_000)
        // summary.json is written before the linger: the run has ended and the feed holds the final figures.
        guard let bound = port.withLock({ $0 }),
            FileManager.default.fileExists(atPath: scenario.output + "/summary.json")
        else { continue }
        let (result, _, body) = await client.send(
            try PreparedRequest(url: "http://127.0.0.1:\(bound)/metrics", method: "GET"))
        if result.status == 200 { scraped = String(decoding: body, as: UTF8.self) }
        break
    }
    let report = try await run
    return (report, scraped, port.withLock { $0 })
}
