import Foundation
import Testing
@testable import TierbenchCore

struct ReportConsoleSummaryTests {
    @Test func plainRenderingShowsEveryFigure() {
        let text = ConsoleSummary.render(SummaryTests.knownSummary(), color: false)
        #expect(!text.contains("\u{1B}["))
        for expected in [
            "tierbench \(TierbenchVersion.string) · known", "100 measured", "90 ok", "10 failed (10.00 %)",
            "10 warmup excluded", "10.00 s measured of 12.50 s", "9.00 req/s succeeded", "(10.00 req/s attempted, failures included)", "18.00 prompts/s",
            "378.0 tokens/s", "p99.9", "20.000", "prompt 2,700", "completion 1,080", "total 3,780",
            "200 × 90 · 429 × 8", "http_429 × 8 · connection_refused × 2",
        ] {
            #expect(text.contains(expected), "missing \(expected)")
        }
        #expect(!text.contains("cached"), "no cached prompt tokens, no cached figure")
        // A closed loop has no lateness, so no response-time row.
        #expect(!text.contains("  response "))
        #expect(!text.contains("Generator"))
    }

    @Test func colourAddsANSIStylesOnly() {
        let summary = SummaryTests.knownSummary()
        let coloured = ConsoleSummary.render(summary, color: true)
        #expect(coloured.contains("\u{1B}[1m"))
        #expect(coloured.contains("\u{1B}[31m"))
        let stripped = coloured.replacingOccurrences(of: "\u{1B}\\[[0-9]+m", with: "", options: .regularExpression)
        #expect(stripped == ConsoleSummary.render(summary, color: false))
    }

    @Test func openLoopStreamingRunShowsEveryRow() {
        var recorder = MetricsRecorder()
        recorder.record(RequestOutcome(
            index: 0, intendedStart: 0, actualStart: 3_000_000, end: 503_000_000, status: 200,
            usage: TokenUsage(prompt: 3, completion: 5), firstTokenAt: 103_000_000, lastTokenAt: 490_000_000,
            outputChunks: 5))
        recorder.recordInterTokenGap(97_000_000)
        let summary = RunSummary.make(
            recorder: recorder, measuredWindow: MeasuredWindow(warmupEnd: 0, recorder: recorder),
            duration: .seconds(1), scenario: .object([]), startedAt: "2026-11-22T21:00:00.000Z",
            endedAt: "2026-11-22T21:00:01.000Z", interrupted: true,
            generator: GeneratorInfo(loadModel: "open", targetRequestsPerS: 5))
        let text = ConsoleSummary.render(summary, color: false)
        for row in ["  service ", "  response ", "  send late ", "  ttft ", "  itl ", "  tpot ", "Generator",
                    "interrupted", "of 5.0 req/s"] {
            #expect(text.contains(row), "missing \(row)")
        }
        let ttftRow = text.split(separator: "\n").first { $0.hasPrefix("  ttft") }.map(String.init) ?? ""
        #expect(ttftRow.split(separator: " ").dropFirst().allSatisfy { $0 == "100.000" || $0 == "0.000" })
    }

    @Test func cachedPromptTokensAreShownBesideThePrompt() {
        var summary = SummaryTests.knownSummary()
        summary.tokens.cachedPrompt = 1_024
        #expect(ConsoleSummary.render(summary, color: false).contains("prompt 2,700 (1,024 cached) · completion 1,080"))
    }

    @Test func numberFormatting() {
        #expect(ConsoleSummary.grouped(0) == "0")
        #expect(ConsoleSummary.grouped(999) == "999")
        #expect(ConsoleSummary.grouped(1_000) == "1,000")
        #expect(ConsoleSummary.grouped(-1_234_567) == "-1,234,567")
        #expect(ConsoleSummary.fixed(2.0 / 3, 3) == "0.667")
    }

    @Test func prettyLayoutCollapsesScalarArraysWithoutChangingTheValue() throws {
        let json = Array("""
        {
          "a" : [
            [
              1,
              2
            ],
            [
              "x ] [ \\" {",
              true,
              null
            ]
          ],
          "b" : [

          ],
          "c" : { "d" : [ 1.5 ] }
        }
        """.utf8)
        let collapsed = JSONLayout.collapsingScalarArrays(json)
        let text = String(decoding: collapsed, as: UTF8.self)
        #expect(text.contains("[1, 2]"))
        #expect(text.contains(#"["x ] [ \" {", true, null]"#))
        #expect(text.contains(#""b" : []"#))
        let before = try JSONSerialization.jsonObject(with: Data(json)) as? NSDictionary
        let after = try JSONSerialization.jsonObject(with: Data(collapsed)) as? NSDictionary
        #expect(before == after)
    }
}
