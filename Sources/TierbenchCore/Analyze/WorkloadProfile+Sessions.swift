/// The profile of a log with sessions (docs/analyze.md, "Workload profile"): a `sessions:` scenario whose session
/// arrivals, turns, first user messages and think times follow the analysed sessions.
///
/// - `turns`: the planned turns per session (`turns_planned`; `turns_done` when the rows lack it), as a lognormal
///   with their mean and standard deviation (`constant` when they do not vary), capped at their maximum;
/// - `user_tokens`: the prompt tokens of first turns (the first user message and its framing), when the request log
///   has `turn` keys;
/// - `think_time`: the think time per gap between turns, as a lognormal;
/// - `load`: session arrivals at the measured start rate, `(sessions − 1) / (last start − first start)`, as a
///   Poisson process, for the request log's span (or the sessions' own); one user when the starts give no rate.
extension WorkloadProfile {
    static func sessionSection(_ sessions: LogAnalysis.SessionFigures, firstTurn: CountStats?) -> String {
        let turns = sessions.turnsPlanned ?? sessions.turnsDone
        let maxTurns = Double(SessionSettings.maxTurns)
        let mean = min(max(turns.mean, 1), maxTurns)
        let top = min(max(Double(turns.max), mean.rounded(.up)), maxTurns)
        let stddev = min(max(turns.stddev, 0), maxTurns)
        var out = "# sessions: \(sessions.sessions), turns \(sessions.turnsPlanned == nil ? "done" : "planned") mean "
            + "\(num(turns.mean)), stddev \(num(turns.stddev)), max \(turns.max); duration mean "
            + "\(num(sessions.durationMs.mean)) ms, p99 \(num(sessions.durationMs.p99)) ms (docs/sessions.md)\n"
        out += "sessions:\n  source: synthetic\n  history: live\n"
        if stddev > 0 {
            out += "  turns: { dist: lognormal, mean: \(num(mean)), stddev: \(num(stddev)), max: \(num(top)) }\n"
        } else {
            out += "  turns: { dist: constant, mean: \(num(mean.rounded())), max: \(num(top)) }\n"
        }
        if let firstTurn, firstTurn.count > 0 {
            let limit = Double(SessionSettings.maxUserTokens)
            out += "  # first-turn prompt tokens (the first user message and its framing): \(firstTurn.count) turns\n"
            out += "  user_tokens: { mean: \(num(min(max(firstTurn.mean, 1), limit).rounded())), "
                + "stddev: \(num(min(max(firstTurn.stddev, 0), limit).rounded())) }\n"
        } else {
            out += "  # user_tokens: not in the logs (a request log with turn keys has them); the default applies\n"
        }
        if let think = sessions.thinkPerGapMs, think.count > 0, think.mean > 0 {
            let day = 86_400_000.0
            out += "  think_time: { dist: lognormal, mean: \(num(min(think.mean, day)))ms, "
                + "stddev: \(num(min(max(think.stddev, 0), day)))ms }\n"
        }
        return out
    }

    static func sessionLoad(_ sessions: LogAnalysis.SessionFigures, spanS: Double?) -> String {
        guard let rate = sessions.startRatePerS, rate.isFinite, rate >= ScenarioLimits.minRate else {
            return "# too few session starts to measure a rate: one user holding one conversation at a time\n"
                + "load:\n  users: 1\n  duration: 1m\n"
        }
        let span = spanS.flatMap { $0 > 0 ? $0 : nil } ?? Double(sessions.sessions) / rate
        let seconds = min(max(Int(span.rounded(.up)), 1), Int(ScenarioLimits.maxDuration.seconds))
        return "# session starts: \(sessions.sessions), \(num(rate))/s (an open loop of session arrivals)\n"
            + "load:\n  rate: \(rateText(clampRate(rate)))\n  duration: \(seconds)s\n  arrival: poisson\n"
    }
}
