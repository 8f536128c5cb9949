import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@testable import TierbenchCore

struct OutputJUnitTests {
    private func content() throws -> ReportContent {
        let summary = GateFixtures.summary(p95: 412.5)
        let thresholds = try ["latency_ms.p95 < 800", "error_rate <= 0.001", "status_counts.429 < 10"]
            .map { try Threshold.parse($0) }
        return ReportContent(
            title: "gate <&> \"quoted\"", runs: [summary],
            thresholds: ThresholdEvaluator.evaluate(thresholds, against: summary),
            comparison: Comparison.compare(base: GateFixtures.summary(p95: 300), new: summary, tolerance: 0.1))
    }

    @Test func parsesAsJUnitXMLWithOneTestCasePerThreshold() throws {
        let xml = JUnitReport.render(try content())
        let document = try XMLDocument(xmlString: xml, options: [])
        let root = try #require(document.rootElement())
        #expect(root.name == "testsuites")
        let suites = root.elements(forName: "testsuite")
        #expect(suites.count == 3)
        // The run suite: one passing "requests succeeded" case (the run had successes).
        let runCases = suites[0].elements(forName: "testcase")
        #expect(runCases.count == 1 && runCases[0].elements(forName: "failure").isEmpty)
        let thresholdSuite = suites[1]
        let cases = thresholdSuite.elements(forName: "testcase")
        #expect(cases.count == 3)
        #expect(thresholdSuite.attribute(forName: "tests")?.stringValue == "3")
        #expect(thresholdSuite.attribute(forName: "failures")?.stringValue == "1")
        let failed = cases.filter { !$0.elements(forName: "failure").isEmpty }
        #expect(failed.count == 1)
        #expect(failed.first?.attribute(forName: "name")?.stringValue == "error_rate <= 0.001")
        #expect(failed.first?.elements(forName: "failure").first?.attribute(forName: "message")?.stringValue?
            .contains("is not <=") == true)
        // The baseline suite: p95 went from 300 to 412.5, a regression.
        let baseline = suites[2].elements(forName: "testcase")
        #expect(baseline.contains { $0.attribute(forName: "name")?.stringValue == "latency_ms.p95" &&
            !$0.elements(forName: "failure").isEmpty })
        let totalFailures = Int(root.attribute(forName: "failures")?.stringValue ?? "") ?? -1
        #expect(totalFailures == 1 + suites[2].elements(forName: "testcase")
            .filter { !$0.elements(forName: "failure").isEmpty }.count)
    }

    @Test func escapesMarkupAndControlCharacters() throws {
        let summary = GateFixtures.summary()
        let threshold = Threshold(metric: "error_rate", comparison: .lessThan, limit: 0, expression: "a < b & \"c\" 'd'\u{1}")
        let content = ReportContent(
            title: "<t>", runs: [summary], thresholds: ThresholdEvaluator.evaluate([threshold], against: summary))
        let xml = JUnitReport.render(content)
        #expect(xml.contains("a &lt; b &amp; &quot;c&quot; &apos;d&apos;"))
        #expect(!xml.contains("\u{1}"))
        let document = try XMLDocument(xmlString: xml, options: [])
        let name = document.rootElement()?.elements(forName: "testsuite").dropFirst().first?
            .elements(forName: "testcase").first?.attribute(forName: "name")?.stringValue
        #expect(name == "a < b & \"c\" 'd'")
    }

    @Test func streamingParserAgrees() throws {
        let xml = JUnitReport.render(try content())
        final class Counter: NSObject, XMLParserDelegate {
            var testcases = 0
            var failures = 0
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                        qualifiedName: String?, attributes: [String: String] = [:]) {
                if name == "testcase" { testcases += 1 }
                if name == "failure" { failures += 1 }
            }
        }
        let counter = Counter()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = counter
        #expect(parser.parse())
        #expect(counter.testcases >= 3)
        #expect(counter.failures >= 2)
    }
}

/// Issue 11 item 10: a run with no successful request reads as a failure in every report format.
@Suite struct TotalFailureReportTests {
    static let failedRun = GateFixtures.summary(total: 120, failed: 120, succeeded: 0)
    static let allWarmup = GateFixtures.summary(total: 0, failed: 0, succeeded: 0)

    @Test(arguments: [failedRun, allWarmup])
    func noSuccessIsNeverGreen(summary: JSONValue) throws {
        let content = ReportContent(title: "t", runs: [summary])
        #expect(!content.gatePassed)
        #expect(content.runProblems.count == 1)
        let markdown = MarkdownReport.render(content)
        #expect(markdown.hasPrefix("## ❌"), "\(markdown.prefix(80))")
        let junit = JUnitReport.render(content)
        #expect(junit.contains("tests=\"1\" failures=\"1\""), "\(junit)")
        let html = HTMLReport.render(content)
        #expect(html.contains("badge fail"))
    }

    @Test func aRunWithSuccessesHasAPassingRunCase() {
        let content = ReportContent(title: "t", runs: [GateFixtures.summary()])
        #expect(content.gatePassed)
        #expect(JUnitReport.render(content).contains("tests=\"1\" failures=\"0\""))
        #expect(MarkdownReport.render(content).hasPrefix("## ✅"))
    }
}
