import Testing
import TierbenchCore

/// An untrusted self-check shows in summary.md, report.html and the JUnit output, one line each, without failing the
/// gate; a trusted one adds nothing.
@Suite("Output: self-check line")
struct OutputSelfCheckTests {
    static func summary(trusted: Bool) -> RunSummary {
        var recorder = MetricsRecorder()
        recorder.record(RequestOutcome(
            index: 0, intendedStart: 0, actualStart: 0, end: 1_000_000, status: 200,
            usage: TokenUsage(prompt: 10, completion: 5)))
        var summary = RunSummary.make(
            recorder: recorder, measuredWindow: MeasuredWindow(warmupEnd: 0, recorder: recorder),
            duration: .seconds(1), scenario: .object([]), startedAt: "2026-12-05T18:00:00.000Z",
            endedAt: "2026-12-05T18:00:01.000Z")
        // Process CPU 1.9 of 2 cores fails the self-check; 0.2 passes.
        summary.applySelfCheck(SelfCheckMeasurement(
            loopLag: DurationHistogram(), processCPUSeconds: trusted ? 0.2 : 1.9, wallSeconds: 1,
            busiestLoadThreadCPU: 0.1, coresAvailable: 2))
        return summary
    }

    @Test("untrusted: one line in each format, the gate still passes")
    func untrustedRunIsShown() throws {
        let content = try ReportContent(title: "t", summaries: [Self.summary(trusted: false)])
        #expect(content.gatePassed)
        #expect(content.selfCheckWarnings.count == 1)
        let markdown = MarkdownReport.render(content)
        #expect(markdown.contains("⚠️ self-check NOT trusted (1 problem"))
        #expect(markdown.hasPrefix("## ✅"))
        #expect(HTMLReport.render(content).contains("self-check NOT trusted (1 problem"))
        let junit = JUnitReport.render(content)
        #expect(junit.contains("self-check NOT trusted: see summary.json self_check.problems"))
        #expect(junit.contains("failures=\"0\""))
    }

    @Test("trusted: nothing added")
    func trustedRunAddsNothing() throws {
        let content = try ReportContent(title: "t", summaries: [Self.summary(trusted: true)])
        #expect(content.selfCheckWarnings.isEmpty)
        #expect(!MarkdownReport.render(content).contains("self-check"))
        #expect(!JUnitReport.render(content).contains("self-check"))
    }
}
