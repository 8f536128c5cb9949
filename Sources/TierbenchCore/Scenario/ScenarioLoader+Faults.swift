import Yams

extension ScenarioLoader {
    static let faultKeys = [
        "status_rates", "reset_rate", "hang_rate", "slow_first_byte", "truncate_stream_rate", "malformed_json_rate",
        "schedule",
    ]

    /// Reads `mock.faults`. Rates are probabilities per request in [0, 1].
    static func readFaults(_ faults: ScenarioMapping, reader: ScenarioNodeReader) -> MockFaultSettings {
        var settings = MockFaultSettings()
        func rate(_ key: String) -> Double? {
            faults[key].flatMap { reader.number($0, faults.path(key), min: 0, max: 1) }
        }
        if let node = faults["status_rates"],
            let entries = reader.freeMapping(node, faults.path("status_rates"), expecting: "a mapping such as { 500: 0.01 }")
        {
            var total = 0.0
            for entry in entries {
                let path = faults.path("status_rates") + "." + entry.key
                guard let status = Int(entry.key), (400...599).contains(status), !entry.key.hasPrefix("0"),
                    !entry.key.hasPrefix("+")
                else {
                    reader.report(entry.keyNode, path, "expected an HTTP error status between 400 and 599, got '\(entry.key)'")
                    continue
                }
                if let value = reader.number(entry.value, path, min: 0, max: 1) {
                    settings.statusRates[status] = value
                    total += value
                }
            }
            if total > 1 {
                reader.report(node, faults.path("status_rates"), "the rates add up to more than 1",
                              hint: "each rate is a probability per request; keep the sum ≤ 1")
            }
        }
        settings.resetRate = rate("reset_rate") ?? 0
        settings.hangRate = rate("hang_rate") ?? 0
        settings.truncateStreamRate = rate("truncate_stream_rate") ?? 0
        settings.malformedJSONRate = rate("malformed_json_rate") ?? 0
        if let slow = reader.section(faults, "slow_first_byte", keys: ["rate", "delay"]) {
            if let node = slow["rate"], let value = reader.number(node, slow.path("rate"), min: 0, max: 1) {
                settings.slowFirstByteRate = value
            }
            if let node = slow["delay"], let value = reader.duration(node, slow.path("delay"), positive: true) {
                settings.slowFirstByteDelay = value
            }
        }
        if let node = faults["schedule"],
            let items = reader.sequence(node, faults.path("schedule"), expecting: "a list of fault windows")
        {
            settings.schedule = items.enumerated().compactMap { index, item in
                readFaultWindow(item, faults.path("schedule") + "[\(index)]", reader: reader)
            }
        }
        return settings
    }

    /// `{ start, duration, status: 503 }` or `{ start, duration, freeze: true }`.
    private static func readFaultWindow(_ node: Node, _ path: String, reader: ScenarioNodeReader) -> MockFaultWindow? {
        guard let window = reader.mapping(node, path, keys: ["start", "duration", "status", "freeze"]) else { return nil }
        let before = reader.errors.count
        let start = window["start"].flatMap { reader.duration($0, window.path("start"), positive: false) }
        let duration = window["duration"].flatMap { reader.duration($0, window.path("duration"), positive: true) }
        if !window.has("start") { reader.missing(window, "start", hint: "add start: 10s (from the mock's start)") }
        if !window.has("duration") { reader.missing(window, "duration", hint: "add duration: 5s") }
        var action: MockFaultWindow.Action?
        switch (window["status"], window["freeze"]) {
        case (let status?, nil):
            action = reader.int(status, window.path("status"), min: 400, max: 599).map { .status($0) }
        case (nil, let freeze?):
            if let value = reader.bool(freeze, window.path("freeze")) {
                if value {
                    action = .freeze
                } else {
                    reader.report(freeze, window.path("freeze"), "freeze: false does nothing",
                                  hint: "write freeze: true, or give status: 503 instead")
                }
            }
        case (.some, .some):
            reader.report(window.mark, path, "a window has either status or freeze, not both", hint: "keep one")
        case (nil, nil):
            reader.report(window.mark, path, "a window needs status: 503 or freeze: true", hint: "add one of them")
        }
        guard reader.errors.count == before, let start, let duration, let action else { return nil }
        return MockFaultWindow(start: start, duration: duration, action: action)
    }
}
