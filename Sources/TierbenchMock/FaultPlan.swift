import TierbenchCore

/// What the fault injector does to one request.
enum FaultAction: Sendable, Equatable {
    case none
    /// Answer with this status and OpenAI's error body.
    case status(Int)
    /// Reset the connection without answering.
    case reset
    /// Never answer (until the client gives up, the server stops, or `hangLimit`).
    case hang
    /// Answer 200 with a body that is not valid JSON.
    case malformed
    /// Cut a stream short: no final chunk, no `[DONE]`, then reset.
    case truncate

    /// Label used in stats and metrics.
    var label: String {
        switch self {
        case .none: return "none"
        case .status(let status): return "status_\(status)"
        case .reset: return "reset"
        case .hang: return "hang"
        case .malformed: return "malformed_json"
        case .truncate: return "truncated_stream"
        }
    }
}

/// Decides faults per request from `MockFaultSettings`, deterministically for a given seed and arrival order.
///
/// One uniform draw picks at most one exclusive fault: the status rates (in ascending status order), then reset,
/// hang, malformed JSON and truncated stream occupy consecutive slices of [0, 1). A truncation drawn for a
/// non-streaming request does nothing. Slow first byte is a separate draw and combines with any outcome.
struct FaultPlan: Sendable {
    private let slices: [(upper: Double, action: FaultAction)]
    private let slowFirstByteRate: Double
    /// Delay of a slow first byte, in wall-clock seconds (already divided by the time scale).
    let slowFirstByteDelay: Double
    private let windows: [MockFaultWindow]

    init(_ faults: MockFaultSettings, timeScale: Double) {
        var upper = 0.0
        var slices: [(Double, FaultAction)] = []
        for (status, rate) in faults.statusRates.sorted(by: { $0.key < $1.key }) where rate > 0 {
            upper += rate
            slices.append((upper, .status(status)))
        }
        for (rate, action) in [
            (faults.resetRate, FaultAction.reset), (faults.hangRate, .hang), (faults.malformedJSONRate, .malformed),
            (faults.truncateStreamRate, .truncate),
        ] where rate > 0 {
            upper += rate
            slices.append((upper, action))
        }
        self.slices = slices
        self.slowFirstByteRate = faults.slowFirstByteRate
        self.slowFirstByteDelay = faults.slowFirstByteDelay.seconds / timeScale
        self.windows = faults.schedule
    }

    /// Whether any fault can ever happen (lets the hot path skip the draws).
    var isEmpty: Bool { slices.isEmpty && slowFirstByteRate <= 0 && windows.isEmpty }

    /// The exclusive fault for a request, and whether its first byte is delayed.
    func decide(_ random: inout MockRandom, streaming: Bool) -> (action: FaultAction, slowFirstByte: Bool) {
        guard !isEmpty else { return (.none, false) }
        let draw = random.unit()
        var action = FaultAction.none
        for slice in slices where draw < slice.upper {
            action = slice.action
            break
        }
        if action == .truncate && !streaming { action = .none }
        let slow = slowFirstByteRate > 0 && random.unit() < slowFirstByteRate
        return (action, slow)
    }

    /// The scheduled window active at `elapsed` (real seconds since the mock started), with the wall-clock seconds
    /// left in it. Window times are in real units and divided by `timeScale`, like every other mock time.
    func activeWindow(elapsedWallSeconds: Double, timeScale: Double) -> (window: MockFaultWindow, secondsLeft: Double)? {
        for window in windows {
            let start = window.start.seconds / timeScale
            let end = start + window.duration.seconds / timeScale
            if elapsedWallSeconds >= start && elapsedWallSeconds < end { return (window, end - elapsedWallSeconds) }
        }
        return nil
    }
}
