import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@testable import TierbenchCore

struct OutputHTMLTests {
    let html = SampleReports.html()

    @Test func isOneSelfContainedDocument() {
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<style>"))
        for forbidden in ["<script src", "<link", "@import", "url(", "src=\"http", "href=\"http", "xlink:href"] {
            #expect(!html.contains(forbidden), "found \(forbidden)")
        }
        // No network references at all: no URL inside any tag or attribute.
        for url in ["http://", "https://", "//cdn"] {
            #expect(!tags(html).contains { $0.contains(url) }, "a tag references \(url)")
        }
    }

    @Test func containsEveryChartWithDataAxesAndLegend() {
        let charts = ["chart-throughput", "chart-latency-time", "chart-errors", "chart-latency-distribution",
                      "chart-sweep-0-throughput", "chart-sweep-0-errors", "chart-sweep-0-p95",
                      "chart-sweep-1-throughput"]
        for id in charts {
            #expect(html.contains("<figure class=\"chart\" id=\"\(id)\">"), "missing \(id)")
            #expect(html.contains("id=\"\(id)-x-axis\""))
            #expect(html.contains("id=\"\(id)-y-axis\""))
            #expect(html.contains("id=\"\(id)-legend\""))
            #expect(pathData(html, id: "\(id)-series-0").count > 20, "\(id) has an empty line")
        }
        #expect(html.contains("class=\"marker recommendation\""))
        #expect(html.contains("class=\"marker knee\""))
        #expect(html.contains(">99.9%</text>"))
    }

    @Test func isWellFormedXMLOnceTheDoctypeIsRemoved() throws {
        // Every element the report writes is closed, so the body parses as XML.
        let body = html.replacingOccurrences(of: "<!DOCTYPE html>", with: "")
            .replacingOccurrences(of: "<meta charset=\"utf-8\">", with: "<meta charset=\"utf-8\"/>")
            .replacingOccurrences(
                of: "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
                with: "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
        let parser = XMLParser(data: Data(body.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
    }

    @Test func sectionsFollowTheContent() {
        #expect(html.contains("id=\"thresholds\""))
        #expect(html.contains("id=\"comparison\""))
        #expect(html.contains("id=\"sweep\""))
        #expect(html.contains("<span class=\"badge fail\">FAIL</span>"))
        let plain = HTMLReport.render(ReportContent(title: "only a run", runs: [GateFixtures.summary()]))
        #expect(!plain.contains("id=\"sweep\""))
        #expect(!plain.contains("class=\"badge"))
        #expect(plain.contains("id=\"chart-latency-distribution\""))
    }

    @Test func emptyChartSaysNoData() {
        let chart = SVGChart(id: "empty", title: "Empty", xLabel: "x", yLabel: "y", series: [])
        #expect(chart.render().contains("class=\"no-data\""))
    }

    @Test func textIsEscaped() {
        let page = HTMLReport.render(ReportContent(title: "<script>alert(1)</script>", runs: []))
        #expect(!page.contains("<script>"))
        #expect(page.contains("&lt;script&gt;"))
    }

    @Test func percentileAxisPlacesNines() {
        let scale = ChartScale(kind: .percentile, covering: [0, 0.5, 0.999])
        #expect(abs(scale.fraction(0.99) - 2.0 / 3.0) < 1e-9)
        #expect(scale.ticks().map(\.label) == ["0%", "90%", "99%", "99.9%"])
    }

    /// Writes the sample report where `TIERBENCH_SAMPLE_REPORT` points (scripts/report/screenshot_check.sh
    /// --sample uses it); does nothing otherwise.
    @Test func writesSampleReportWhenAsked() throws {
        guard let path = ProcessInfo.processInfo.environment["TIERBENCH_SAMPLE_REPORT"], !path.isEmpty else { return }
        try Data(html.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    /// Every `<…>` tag of the document.
    private func tags(_ text: String) -> [String] {
        var out: [String] = []
        var current: String?
        for character in text {
            if character == "<" { current = "" } else if character == ">", let tag = current {
                out.append(tag)
                current = nil
            } else {
                current?.append(character)
            }
        }
        return out
    }

    /// The `d` attribute of the path with `id`.
    private func pathData(_ text: String, id: String) -> String {
        guard let range = text.range(of: "id=\"\(id)\" d=\"") else { return "" }
        return String(text[range.upperBound...].prefix { $0 != "\"" })
    }

    /// Ground truth: 100 requests in each full second, 10 in the 0.1 s the run lasted into its third bucket.
    @Test func lastPartialBucketIsARateOverTheTimeItCovered() throws {
        let run: JSONValue = .object([
            .init("duration_s", .double(2.1)),
            .init("time_series", .object([
                .init("bucket_s", .double(1)), .init("requests", .array([.int(100), .int(100), .int(10)])),
                .init("errors", .array([.int(0), .int(0), .int(0)])),
            ])),
        ])
        let throughput = try #require(ReportCharts.overTime([run]).first?.series.first)
        let rates = throughput.points.map(\.y)
        #expect(rates.count == 3)
        #expect(rates[0] == 100 && rates[1] == 100)
        #expect(abs(rates[2] - 100) < 1e-6)
    }
}
