import Testing

@testable import TierbenchCore

struct OutputCSVTests {
    /// A minimal RFC 4180 reader: fields, quotes, doubled quotes, newlines inside quotes.
    private func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = Array(text).makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                row.append(field)
                field = ""
            } else if character == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.append(character)
            }
        }
        return rows
    }

    @Test func quotesOnlyWhenNeeded() {
        #expect(CSVReport.quote("plain") == "plain")
        #expect(CSVReport.quote("a,b") == "\"a,b\"")
        #expect(CSVReport.quote("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVReport.quote("two\nlines") == "\"two\nlines\"")
        #expect(CSVReport.quote("crlf\r\nline") == "\"crlf\r\nline\"")
        #expect(CSVReport.quote(" padded") == "\" padded\"")
    }

    @Test func oneHeaderAndOneRowPerRunWithEqualWidths() {
        var tricky = GateFixtures.summary(p95: 500)
        tricky.set("scenario", .object([.init("name", .string("name, with \"quotes\"\nand a newline"))]))
        let csv = CSVReport.render(ReportContent(title: "", runs: [GateFixtures.summary(), tricky]))
        let rows = parse(csv)
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0.count == rows[0].count })
        #expect(Array(rows[0].prefix(4)) == ["run", "scenario", "started_at", "requests.total"])
        #expect(rows[2][1] == "name, with \"quotes\"\nand a newline")
        let p95Column = rows[0].firstIndex(of: "latency_ms.p95") ?? -1
        #expect(p95Column > 0 && rows[2][p95Column] == "500")
        #expect(!rows[0].contains { $0.hasPrefix("scenario.") })
    }

    @Test func sweepHasOneRowPerPoint() {
        let sweep = SampleReports.sweep()
        let rows = parse(CSVReport.render(ReportContent(title: "", runs: [], sweep: sweep)))
        guard case .array(let points)? = sweep["points"] else { Issue.record("sample sweep has no points"); return }
        #expect(rows.count == points.count + 1)
        #expect(Array(rows[0].prefix(6)) == ["tier", "model", "batch_size", "rate", "max_workers", "requests_per_s"])
        #expect(rows[1][0] == "tier1" && rows[1][4] == "1")
        #expect(rows.allSatisfy { $0.count == rows[0].count })
    }
}
