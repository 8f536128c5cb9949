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
        #expect(suites.count == 2)
        let thresholdSuite = try #require(suites.first)
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
        let baseline = suites[1].elements(forName: "testcase")
        #expect(baseline.contains { $0.attribute(forName: "name")?.stringValue == "latency_ms.p95" &&
            !$0.elements(forName: "failure").isEmpty })
        let totalFailures = Int(root.attribute(forName: "failures")?.stringValue ?? "") ?? -1
        #expect(totalFailures == 1 + suites[1].elements(forName: "testcase")
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
        let name = document.rootElement()?.elements(forName: "testsuite").first?
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
