import Foundation

/// The workload a log describes, written as a scenario that `tierbench validate` and `run` read as it is: the
/// arrival rate and its shape, prompt and output sizes, and, from a `sessions.jsonl`, the session shape (a
/// `sessions:` scenario of session arrivals). Against `target: mock` by default; change target, endpoint and model
/// to aim it elsewhere.
///
/// Rules (docs/analyze.md, "Workload profile"):
/// - arrival process from the inter-arrival CV (with stages: the CV inside the windows, `cv_within_windows`): below
///   0.2 `constant`; 0.9…1.1 `poisson`; else `gamma` with `burstiness` = 1 / CV² (so the replayed gaps have the
///   same CV);
/// - one `rate` for the whole `duration` (the log's span), unless some window's count lies further than
///   max(4·CV·√m, 0.25·m, 2) (CV: `cv_within_windows`, else `cv`) from its expected count m at the mean rate of
///   the windows: then `rate` = the first window's rate and two `stages` entries per window, a 1 ms ramp to its
///   rate and a hold (stages are linear ramps, so this replays steps; at most 60 windows of 1 s, 10 s, 1 min,
///   5 min, 15 min, 1 h, 6 h or 1 day); rates with 6 significant digits;
/// - prompts: `synthetic.tokens` mean and stddev of the measured prompt tokens; `request.max_tokens` the p99 of the
///   completion tokens and `mock.output_tokens` their mean (rounded).
public enum WorkloadProfile {
    /// Prompts the synthetic source generates (fewer when they would pass the scenario's prompt-text limit).
    static let promptCount = 1_000

    /// The profile's YAML text; `sources` name the analysed files (in a comment, by base name only: the profile is
    /// meant to be shared, and directories can say more than the workload).
    public static func yaml(_ analysis: LogAnalysis, sources: [String]) -> String {
        var out = "# Workload profile written by tierbench analyze \(analysis.toolVersion) from "
            + sources.map(baseName).joined(separator: ", ") + ".\n"
            + "# A complete scenario: tierbench validate/run read it as it is. It targets the built-in mock;\n"
            + "# set target, endpoint and model to replay the same shape against a real API.\n"
            + "version: 1\nname: workload-profile\ntarget: mock\nendpoint: chat\n"
        let requests = analysis.requests
        let known = requests?.byModel.first { $0.model != "unknown" && $0.model != "other" }?.model
        out += "model: \(quoted(known ?? "gpt-4o-mini"))\n"
        let completion = requests?.completionTokens
        let maxTokens = completion.map { min(max($0.p99, 1), ScenarioLimits.maxTokensPerRequest) } ?? 256
        if let sessions = analysis.sessions, sessions.sessions > 0 {
            // A sessions scenario: each turn's messages come from its conversation, so no prompts and no {prompt}.
            out += "request:\n  max_tokens: \(maxTokens)\n"
            out += outputTokens(completion)
            return out + sessionSection(sessions, firstTurn: requests?.firstTurnPromptTokens)
                + sessionLoad(sessions, spanS: requests?.arrivals.spanS)
        }
        out += "request:\n  messages: [{ role: user, content: \"{prompt}\" }]\n  max_tokens: \(maxTokens)\n"
        if let prompt = requests?.promptTokens {
            let mean = min(max(prompt.mean, 1), Double(ScenarioLimits.maxTokensPerRequest))
            let stddev = min(prompt.stddev, Double(ScenarioLimits.maxTokensPerRequest))
            let perPrompt = (mean + 3 * stddev) * Double(SyntheticPromptGenerator.charactersPerToken)
            let count = max(1, min(promptCount, Int(Double(ScenarioLimits.maxSyntheticPromptBytes) / perPrompt)))
            out += "# prompt tokens: mean \(num(prompt.mean)), stddev \(num(prompt.stddev)), p50 \(prompt.p50), "
                + "p99 \(prompt.p99) (\(prompt.count) requests)\n"
            out += "prompts:\n  synthetic: { count: \(count), tokens: { mean: \(num(mean.rounded())), "
                + "stddev: \(num(stddev.rounded())) }, seed: 1 }\n"
        }
        out += outputTokens(completion)
        return out + load(analysis)
    }

    /// The mock's output length: the mean completion tokens (with a comment on their distribution).
    static func outputTokens(_ completion: CountStats?) -> String {
        guard let completion else { return "" }
        return "# completion tokens: mean \(num(completion.mean)), stddev \(num(completion.stddev)), "
            + "p50 \(completion.p50), p99 \(completion.p99)\n"
            + "mock:\n  output_tokens: \(min(max(Int(completion.mean.rounded()), 1), 131_072))\n"
    }

    /// The `load:` section.
    static func load(_ analysis: LogAnalysis) -> String {
        guard let arrivals = analysis.requests?.arrivals, arrivals.count >= 2, arrivals.spanS > 0,
              arrivals.ratePerS >= ScenarioLimits.minRate
        else {
            return "# too few request arrivals to measure a rate: a single closed-loop worker instead\n"
                + "load:\n  max_workers: 1\n  duration: 1m\n"
        }
        var out = "# arrivals: \(arrivals.count) over \(num(arrivals.spanS)) s, \(num(arrivals.ratePerS))/s; "
            + "inter-arrival CV \(num(arrivals.cv))\n"
        out += "load:\n"
        var cv = arrivals.cv
        if let stages = stages(analysis) {
            // The rate changes are in the stages: the arrival process keeps only the burstiness inside windows.
            if let within = arrivals.cvWithinWindows {
                cv = within
                out += "# inter-arrival CV inside \(arrivals.cvWindowS ?? 0) s windows: \(num(within))\n"
            }
            out += stagesText(stages)
        } else {
            out += "  rate: \(rateText(clampRate(analysis.exactRatePerS ?? arrivals.ratePerS)))\n"
            let seconds = min(max(Int(arrivals.spanS.rounded(.up)), 1), Int(ScenarioLimits.maxDuration.seconds))
            out += "  duration: \(seconds)s\n"
        }
        if cv < 0.2 {
            out += "  arrival: constant\n"
        } else if abs(cv - 1) <= 0.1 {
            out += "  arrival: poisson\n"
        } else {
            let burstiness = min(max(1 / (cv * cv), 0.001), 1_000)
            out += "  arrival: gamma\n  burstiness: \(num((burstiness * 1_000).rounded() / 1_000))\n"
        }
        return out
    }

    /// The windows as steps: stages are linear ramps from the previous rate (`load.rate` before the first), so the
    /// profile starts at the first window's rate and enters each window with a 1 ms ramp to its rate, then holds it
    /// for the rest of the window (two stages a window, within `ScenarioLimits.maxStages`).
    static func stagesText(_ stages: [(seconds: Int, rate: Double)]) -> String {
        var out = ""
        if let first = stages.first, first.rate > 0 { out += "  rate: \(rateText(first.rate))\n" }
        out += "  stages:\n"
        for stage in stages {
            out += "    - { duration: 1ms, rate: \(rateText(stage.rate)) }\n"
            out += "    - { duration: \(stage.seconds * 1_000 - 1)ms, rate: \(rateText(stage.rate)) }\n"
        }
        return out
    }

    /// One stage per rate window when the rate visibly varies; nil when one rate fits.
    static func stages(_ analysis: LogAnalysis) -> [(seconds: Int, rate: Double)]? {
        guard let windows = analysis.rateWindows, windows.counts.count >= 2, windows.coveredS > 0 else { return nil }
        let counts = Array(windows.counts.prefix(ScenarioLimits.maxStages / 2))
        let total = Double(counts.reduce(0, +))
        let covered = Double(min(windows.coveredS, counts.count * windows.width))
        let mean = total / covered
        // Counts of a renewal process with gap CV c vary by about c·√m around m (√m for Poisson), so the trigger
        // scales with the CV measured inside windows (the whole log's CV would count the rate changes themselves).
        let arrivals = analysis.requests?.arrivals
        let cv = arrivals?.cvWithinWindows ?? arrivals?.cv ?? 1
        var varies = false
        var stages: [(Int, Double)] = []
        for (index, count) in counts.enumerated() {
            let width = min(Double(windows.width), covered - Double(index * windows.width))
            guard width > 0 else { break }
            let expected = mean * width
            // At least 2: evenly spaced arrivals put ⌊m⌋ or ⌈m⌉ in a window, which is no rate change.
            if abs(Double(count) - expected) > max(4 * cv * expected.squareRoot(), 0.25 * expected, 2) { varies = true }
            let stageRate = Double(count) / width
            stages.append((Int(width), stageRate > 0 ? clampRate(stageRate) : 0))
        }
        return varies ? stages : nil
    }

    /// The rate rounded to 6 significant digits, within the scenario limits.
    static func clampRate(_ rate: Double) -> Double {
        guard rate.isFinite, rate > 0 else { return ScenarioLimits.minRate }
        let scale = pow(10, 5 - (log10(rate)).rounded(.down))
        let rounded = (rate * scale).rounded() / scale
        return min(max(rounded, ScenarioLimits.minRate), ScenarioLimits.maxRate)
    }

    /// A rate as written in the profile: up to 6 significant digits, never in exponent notation (rates lie within
    /// 0.0001 … 1,000,000).
    static func rateText(_ rate: Double) -> String {
        if rate == rate.rounded(), abs(rate) < 1e15 { return String(Int64(rate)) }
        return String(format: "%.6g", rate)
    }

    static func num(_ value: Double) -> String { ReportNumber.plain(value) }

    /// The last path component of `path`, control characters (a line break would end the comment) removed.
    static func baseName(_ path: String) -> String {
        let last = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
        return String(String.UnicodeScalarView(last.unicodeScalars.filter {
            !($0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{2028}" || $0 == "\u{2029}")
        }))
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out += scalar.value < 0x20 ? "" : String(scalar)
            }
        }
        return out + "\""
    }
}
