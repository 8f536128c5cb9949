import Foundation
import Testing

@testable import TierbenchCore

struct OutputMarkdownTests {
    /// The tables in a Markdown text: runs of lines starting with `|`.
    private func tables(_ markdown: String) -> [[String]] {
        var result: [[String]] = []
        var current: [String] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("|") {
                current.append(line)
            } else if !current.isEmpty {
                result.append(current)
                current = []
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// Cells of a row, honouring `\|` escapes.
    private func cells(_ row: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var previous: Character = " "
        for character in row.dropFirst() {
            if character == "|" && previous != "\\" {
                cells.append(cell.trimmingCharacters(in: .whitespaces))
                cell = ""
            } else {
                cell.append(character)
            }
            previous = character
        }
        return cells
    }

    private func expectValidTable(_ rows: [String]) {
        #expect(rows.count >= 2)
        let width = cells(rows[0]).count
        #expect(width >= 2)
        let separator = cells(rows[1])
        #expect(separator.allSatisfy { $0.range(of: #"^:?-{3,}:?$"#, options: .regularExpression) != nil })
        for row in rows {
            #expect(row.hasSuffix("|"))
            #expect(cells(row).count == width, "row has a different column count: \(row)")
        }
    }

    @Test func reportIsMadeOfValidTables() throws {
        let content = SampleReports.content()
        let markdown = MarkdownReport.render(content)
        let found = tables(markdown)
        #expect(found.count == 4)  // key figures, thresholds, comparison, sweep
        for table in found { expectValidTable(table) }
        #expect(markdown.contains("✅"))
        #expect(markdown.contains("❌"))
        #expect(markdown.hasPrefix("## ❌ tierbench: sample-gate"))
    }

    @Test func thresholdsTableMarksPassAndFail() throws {
        let summary = GateFixtures.summary(p95: 412.5)
        let results = ThresholdEvaluator.evaluate(
            [try Threshold.parse("latency_ms.p95 < 800ms"), try Threshold.parse("error_rate <= 0.1%")], against: summary)
        let text = MarkdownReport.thresholds(results)
        let rows = try #require(tables(text).first)
        expectValidTable(rows)
        #expect(rows.count == 4)
        #expect(rows[2].contains("✅") && rows[2].contains("`latency_ms.p95 < 800ms`") && rows[2].contains("412.5 ms"))
        #expect(rows[3].contains("❌") && rows[3].contains("0.4%"))
    }

    @Test func pipesAndNewlinesAreEscaped() {
        let table = MarkdownTable(header: ["a", "b"], rows: [["x|y", "line\nbreak"], ["short"]])
        let rows = tables(table.text)
        #expect(rows.count == 1)
        expectValidTable(rows[0])
        #expect(table.text.contains("x\\|y"))
        #expect(table.text.contains("line break"))
    }

    @Test func severalRunsGetOneColumnEach() throws {
        let content = ReportContent(
            title: "reps", runs: [GateFixtures.summary(p95: 400), GateFixtures.summary(p95: 410)])
        let rows = try #require(tables(MarkdownReport.render(content)).first)
        expectValidTable(rows)
        #expect(cells(rows[0]) == ["Metric", "Run 1", "Run 2"])
    }
}
