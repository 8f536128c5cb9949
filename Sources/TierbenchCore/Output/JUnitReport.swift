/// JUnit XML for CI test reporters: one `<testcase>` per run ("requests succeeded": a `<failure>` when no measured
/// request succeeded, so a total failure is never `tests="0"`), one per threshold (a `<failure>` when it did not
/// pass) and, with a baseline, one per gated metric of the comparison (a `<failure>` on a regression).
///
/// Layout (the de-facto schema Jenkins, GitLab and GitHub reporters read):
/// ```xml
/// <testsuites name="tierbench" tests="3" failures="1" errors="0">
///   <testsuite name="quickstart.thresholds" tests="3" failures="1" errors="0" skipped="0" timestamp="…">
///     <testcase classname="tierbench.thresholds" name="latency_ms.p95 &lt; 800" time="0">
///       <failure type="threshold" message="latency_ms.p95 = 912 ms, is not &lt; 800 ms">…</failure>
///     </testcase>
/// ```
public enum JUnitReport {
    /// The document for `content`.
    public static func render(_ content: ReportContent) -> String {
        let title = content.displayTitle
        var suites: [(name: String, cases: [TestCase])] = []
        if !content.runs.isEmpty { suites.append(("\(title).run", runCases(content))) }
        if !content.thresholds.isEmpty || content.comparison == nil {
            suites.append(("\(title).thresholds", content.thresholds.map(testCase)))
        }
        if let comparison = content.comparison {
            let gated = comparison.metrics.filter { $0.verdict != .informational }
            suites.append(("\(title).baseline", gated.map(testCase)))
        }
        let tests = suites.reduce(0) { $0 + $1.cases.count }
        let failures = suites.reduce(0) { $0 + $1.cases.filter { $0.failure != nil }.count }
        let timestamp = content.runs.first.flatMap { run -> String? in
            if case .string(let text)? = run["started_at"] { return text } else { return nil }
        }
        let duration = content.runs.compactMap { $0["duration_s"]?.metricNumber }.reduce(0, +)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"tierbench\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\""
            + " time=\"\(ReportNumber.fixed(duration, decimals: 3))\">\n"
        for suite in suites {
            let suiteFailures = suite.cases.filter { $0.failure != nil }.count
            out += "  <testsuite name=\"\(XMLText.attribute(suite.name))\" tests=\"\(suite.cases.count)\""
                + " failures=\"\(suiteFailures)\" errors=\"0\" skipped=\"0\""
                + " time=\"\(ReportNumber.fixed(duration, decimals: 3))\""
            if let timestamp { out += " timestamp=\"\(XMLText.attribute(timestamp))\"" }
            out += ">\n"
            out += properties(content)
            for testCase in suite.cases { out += testCase.xml }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    /// "requests succeeded" per run: failed when the run measured no successful request.
    static func runCases(_ content: ReportContent) -> [TestCase] {
        content.runs.indices.map { index in
            let run = content.runs[index]
            let succeeded = run.metricValue(at: "requests.succeeded")?.metricInt ?? 0
            let total = run.metricValue(at: "requests.total")?.metricInt ?? 0
            let name = content.runs.count > 1 ? "run \(index + 1): requests succeeded" : "requests succeeded"
            let problem = succeeded > 0 ? nil : (
                type: "no_success",
                message: total == 0 ? "no request was measured" : "no request succeeded (\(total) of \(total) failed)",
                body: "requests.succeeded = 0; a run with no successful request is a failure")
            var output = "\(succeeded) of \(total) measured requests succeeded"
            if run.metricValue(at: "self_check.trusted") == .bool(false) {
                output += "\nself-check NOT trusted: see summary.json self_check.problems"
            }
            return TestCase(className: "tierbench.run", name: name, failure: problem, output: output)
        }
    }

    /// One test case.
    struct TestCase {
        var className: String
        var name: String
        /// (type, message, body) when the case failed.
        var failure: (type: String, message: String, body: String)?
        var output: String

        var xml: String {
            var out = "    <testcase classname=\"\(XMLText.attribute(className))\" name=\"\(XMLText.attribute(name))\""
                + " time=\"0\">\n"
            if let failure {
                out += "      <failure type=\"\(XMLText.attribute(failure.type))\""
                    + " message=\"\(XMLText.attribute(failure.message))\">\(XMLText.escape(failure.body))</failure>\n"
            }
            out += "      <system-out>\(XMLText.escape(output))</system-out>\n"
            out += "    </testcase>\n"
            return out
        }
    }

    static func testCase(_ result: ThresholdResult) -> TestCase {
        let failure = result.passed ? nil : (
            type: result.status == .failed ? "threshold" : result.status.rawValue,
            message: result.message,
            body: "\(result.threshold.expression)\n\(result.message)\n")
        return TestCase(
            className: "tierbench.thresholds", name: result.threshold.expression, failure: failure,
            output: result.message)
    }

    static func testCase(_ metric: MetricComparison) -> TestCase {
        let change = metric.relativeChange.map(ReportNumber.change) ?? "n/a"
        let summary = "\(metric.metric): base \(ReportNumber.plain(metric.base)), new \(ReportNumber.plain(metric.new)),"
            + " change \(change), \(metric.verdict.rawValue)" + (metric.note.isEmpty ? "" : " — \(metric.note)")
        let failure = metric.verdict == .regression ? (type: "regression", message: summary, body: summary + "\n") : nil
        return TestCase(className: "tierbench.baseline", name: metric.metric, failure: failure, output: summary)
    }

    private static func properties(_ content: ReportContent) -> String {
        guard let run = content.runs.first else { return "" }
        var pairs: [(String, String)] = []
        for key in ["tool_version", "started_at", "ended_at"] {
            if case .string(let value)? = run[key] { pairs.append((key, value)) }
        }
        if let total = run.metricValue(at: "requests.total")?.metricNumber {
            pairs.append(("requests.total", ReportNumber.plain(total)))
        }
        guard !pairs.isEmpty else { return "" }
        var out = "    <properties>\n"
        for (name, value) in pairs {
            out += "      <property name=\"\(XMLText.attribute(name))\" value=\"\(XMLText.attribute(value))\"/>\n"
        }
        return out + "    </properties>\n"
    }
}
