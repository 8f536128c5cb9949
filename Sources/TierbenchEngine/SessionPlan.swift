import TierbenchCore
import TierbenchCurl

/// What a sessions run needs beyond the `LoadPlan`: the conversations' source, how sessions start, and how a turn's
/// request is built at send time (its body depends on the conversation so far).
struct SessionPlan: Sendable {
    enum Arrivals: Sendable {
        /// A closed loop of users, each holding one conversation at a time.
        case users(Int)
        /// Open-loop session arrivals.
        case open(profile: RateProfile, arrival: ArrivalProcess, seed: UInt64)
    }

    var settings: SessionSettings
    /// The scenario whose request template, model and stream settings every turn uses.
    var scenario: Scenario
    var url: String
    /// Header fields of every turn (authorization, target headers, Accept), without the session header.
    var headers: [Header]
    /// With `sessions.file`: every conversation's transcript; empty for synthetic sessions.
    var transcripts: [[SessionMessage]]
    var arrivals: Arrivals
    /// The retry policy of a turn: `retry:`, or 3 attempts for `on_error: retry` without it.
    var retry: RetryPolicy

    struct Header: Sendable {
        var name: String
        var value: String
    }

    /// - Throws: `EngineError.invalidScenario` for an unreadable or malformed conversation file.
    static func build(
        loaded: ScenarioFile, settings: SessionSettings, url: String, headers: [(name: String, value: String)]
    ) throws(EngineError) -> SessionPlan {
        let scenario = loaded.scenario
        var transcripts: [[SessionMessage]] = []
        if case .file(let file) = settings.source {
            let directory = directory(of: loaded.path)
            let path = PromptLoader.resolve(path: file, baseDirectory: directory)
            let text = try ScenarioFile.readText(path)
            do {
                transcripts = try SessionFileParser.parse(text, file: path)
            } catch {
                throw EngineError.invalidScenario("\(loaded.path): \(error.description)")
            }
        }
        let arrivals: Arrivals
        if let rate = scenario.load.rate {
            arrivals = .open(profile: RateProfile(startRate: rate, stages: []), arrival: scenario.load.arrival,
                             seed: settings.seed &+ 1)
        } else {
            arrivals = .users(scenario.load.maxWorkers)  // equals load.users (a sweep point may set it)
        }
        var retry = scenario.retry
        if retry == .none, settings.onError == .retry { retry = RetryPolicy(maxAttempts: 3) }
        return SessionPlan(
            settings: settings, scenario: scenario, url: url,
            headers: headers.map { Header(name: $0.name, value: $0.value) }, transcripts: transcripts,
            arrivals: arrivals, retry: retry)
    }

    /// The scheduler's view of the arrivals.
    var schedulerArrivals: SessionScheduler.Arrivals {
        switch arrivals {
        case .users(let count): return .users(count)
        case .open(let profile, let arrival, let seed):
            return .open(ArrivalSchedule(profile: profile, process: arrival, seed: seed))
        }
    }

    /// The user turns of each file conversation (for the scheduler's planned turns).
    var fileTurnCounts: [Int] { transcripts.map { SessionConversation.userTurns(of: $0).count } }

    /// A new conversation for session `number`.
    func conversation(for number: Int) -> SessionConversation {
        guard !transcripts.isEmpty else { return SessionConversation(live: []) }
        let transcript = transcripts[(number - 1) % transcripts.count]
        if settings.history == .recorded { return SessionConversation(recorded: transcript) }
        return SessionConversation(live: transcript.filter { $0.role == "system" })
    }

    /// The user message of turn `turn` of session `number`: the file's, or synthetic text of a seeded length.
    func userMessage(session number: Int, turn: Int) -> String {
        if !transcripts.isEmpty {
            let users = SessionConversation.userTurns(of: transcripts[(number - 1) % transcripts.count])
            return users.isEmpty ? "" : users[min(turn, users.count) - 1]
        }
        let seed = settings.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(number) &* 1_000_003 &+ UInt64(turn)
        var random = SplitMix64(seed: seed)
        let tokens = settings.userTokens.sampleInt(&random, lower: 1, upper: 100_000)
        return SyntheticPromptGenerator.text(tokens: tokens, seed: seed)
    }

    /// The request of one turn carrying `messages`, and its body's figures.
    func request(messages: [SessionMessage], sessionID: String) throws(EngineError) -> (PreparedRequest, RequestBody) {
        let body: RequestBody
        do {
            let prompt = Prompt.body(.object([.init("messages", SessionConversation.json(messages))]))
            body = try RequestBodyFactory(scenario: scenario, prompts: [prompt]).bodies[0]
        } catch {
            throw EngineError.invalidScenario("sessions: \(error.description)")
        }
        var fields = headers.map { (name: $0.name, value: $0.value) }
        if let header = settings.header { fields.append((header, sessionID)) }
        do {
            return (try PreparedRequest(url: url, method: "POST", headers: fields, body: body.bytes), body)
        } catch {
            throw EngineError.transport(error.description)
        }
    }
}

/// The directory part of `path` ("." when there is none).
private func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let directory = String(path[..<slash])
    return directory.isEmpty ? "/" : directory
}
