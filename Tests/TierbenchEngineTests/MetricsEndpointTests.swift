import Foundation
import Testing
import TierbenchCore
import TierbenchCurl
@testable import TierbenchEngine

/// `--metrics-address` (parsing, and the host/port reaching the server) and `--metrics-linger` (the final figures
/// kept up after the run). Binds 127.0.0.1 only.
@Suite(.serialized) struct MetricsEndpointTests {
    @Test("--metrics-address accepts IPv4, bracketed IPv6 and hostnames")
    func addressParsing() throws {
        #expect(try MetricsAddress.parse("0.0.0.0:9464") == MetricsAddress(host: "0.0.0.0", port: 9464))
        #expect(try MetricsAddress.parse("[::]:9464") == MetricsAddress(host: "::", port: 9464))
        #expect(try MetricsAddress.parse("[::1]:0") == MetricsAddress(host: "::1", port: 0))
        #expect(try MetricsAddress.parse("metrics.example.com:65535") == MetricsAddress(host: "metrics.example.com", port: 65535))
        #expect(try MetricsAddress.parse("localhost:80").description == "localhost:80")
        #expect(MetricsAddress(host: "::1", port: 9).description == "[::1]:9")
    }

    @Test("--metrics-address refuses bad values with a clear reason", arguments: [
        ("127.0.0.1", "HOST:PORT"), ("127.0.0.1:", "port"), ("127.0.0.1:65536", "port"), ("127.0.0.1:-1", "port"),
        ("127.0.0.1:9x", "port"), ("300.1.1.1:80", "neither"), ("bad_host:80", "neither"), (":80", "neither"),
        ("-host:80", "neither"), ("::1:80", "brackets"), ("[::1:80", "closing"), ("[::1]80", "HOST:PORT"),
        ("[1.2.3.4]:80", "IPv6"),
    ])
    func addressRefused(text: String, reason: String) {
        let error = #expect(throws: MetricsAddress.ParseError.self) {
            _ = try MetricsAddress.parse(text)
        }
        let description = error?.description ?? ""
        #expect(description.contains(text) && description.contains(reason), "\(description)")
    }

    @Test("the parsed host and port reach the metrics server")
    func addressReachesServer() async throws {
        let client = CurlClient()
        defer { client.shutdown() }
        for text in ["127.0.0.1:0"] {
            let address = try MetricsAddress.parse(text)
            let server = try await HarnessMetricsServer.start(
                host: address.host, port: address.port, feed: LiveFeed(threads: 1), scenario: "address-test")
            let (result, _, body) = await client.send(
                try PreparedRequest(url: "http://127.0.0.1:\(server.port)/metrics", method: "GET"))
            await server.stop()
            #expect(result.status == 200, "\(text)")
            #expect(String(decoding: body, as: UTF8.self).contains("scenario=\"address-test\""), "\(text)")
        }
    }

    @Test("a scrape during --metrics-linger returns the summary's final count; afterwards the port is closed")
    func lingerServesFinalFigures() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: linger-test
            prompts: { inline: ["hi"] }
            load: { max_workers: 2, duration: 1s, warmup: 300ms }
            mock: { latency: 20ms }
            """)
        defer { scenario.cleanup() }
        let (report, scraped, port) = try await runAndScrapeDuringLinger(
            scenario, linger: TimeSpan(nanoseconds: 1_500_000_000))
        let text = try #require(scraped, "no scrape between the run's end and the linger's end")
        // Counters cover measured requests; the warmup has its own counter.
        #expect(Self.requests(in: text, scenario: "linger-test") == report.summary.requests.total)
        #expect(text.contains(
            "tierbench_warmup_requests_total{scenario=\"linger-test\"} \(report.summary.requests.warmupExcluded)\n"))
        // A warmup that really excluded requests, so the warmup counter check compares something (2 workers at
        // ~20 ms each: about 30 warmup and 70 measured requests; bounded by the 1 s duration).
        #expect(report.summary.requests.warmupExcluded > 0)
        #expect(report.summary.requests.total > 0)
        // The run's price reaches the endpoint: the cost counter is summary.json's cost.usd (rounded there to 1e-9).
        let cost = try #require(report.summary.cost?.usd, "the default model has a price")
        let served = text.split(separator: "\n").first { $0.hasPrefix("tierbench_cost_usd_total{scenario=\"linger-test\"}") }
            .flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }
        #expect(served.map { abs($0 - cost) <= 1e-9 } == true, "\(String(describing: served)) vs \(cost)")
        #expect(cost > 0)

        let bound = try #require(port)
        let client = CurlClient()
        defer { client.shutdown() }
        let (after, _, _) = await client.send(
            try PreparedRequest(url: "http://127.0.0.1:\(bound)/metrics", method: "GET"))
        #expect(after.status == 0, "the endpoint still answers after the linger")
    }

    @Test("an interrupt cuts the linger short")
    func interruptEndsLinger() async throws {
        let scenario = try TestScenario("""
            version: 1
            prompts: { inline: ["hi"] }
            load: { max_workers: 2, requests: 10 }
            mock: { latency: 2ms }
            """)
        defer { scenario.cleanup() }
        var options = scenario.options()
        options.metricsPort = 0
        options.metricsLinger = TimeSpan(nanoseconds: 60_000_000_000)
        let interrupt = RunInterrupt()
        let started = ContinuousClock.now
        async let run = Runner.run(options, interrupt: interrupt)
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: scenario.output + "/summary.json") {
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        interrupt.interrupt()
        _ = try await run
        #expect(ContinuousClock.now - started < .seconds(10), "the 60 s linger ignored the interrupt")
    }

    /// success + failure of `tierbench_requests_total`.
    static func requests(in text: String, scenario: String) -> Int {
        text.split(separator: "\n").reduce(0) { total, line in
            guard line.hasPrefix("tierbench_requests_total{scenario=\"\(scenario)\""),
                let value = line.split(separator: " ").last.flatMap({ Int($0) })
            else { return total }
            return total + value
        }
    }
}
