import Foundation
import Yams

extension ScenarioLoader {
    // MARK: target

    static func readTarget(_ node: Node, reader: ScenarioNodeReader) -> ScenarioTarget? {
        if case .scalar(let scalar) = node {
            if scalar.string == "mock" { return .mock }
            let hint = scalar.string.hasPrefix("http")
                ? "write target: { base_url: \(scalar.string), api_key_env: OPENAI_API_KEY }"
                : "write target: mock, or target: { base_url: https://..., api_key_env: ... }"
            reader.report(node, "target", "expected 'mock' or a mapping with base_url, got \(node.gotDescription)",
                          hint: hint)
            return nil
        }
        guard let target = reader.mapping(node, "target", keys: ["base_url", "api_key_env", "headers"]) else {
            return nil
        }
        var failed = false
        var baseURL = ""
        if let urlNode = target["base_url"] {
            if let text = reader.string(urlNode, "target.base_url"), let url = validatedBaseURL(text, urlNode, reader) {
                baseURL = url
            } else {
                failed = true
            }
        } else {
            reader.missing(target, "base_url", hint: "add base_url: https://api.openai.com/v1 (or target: mock)")
            failed = true
        }
        var apiKeyEnv: String?
        if let envNode = target["api_key_env"], let name = reader.string(envNode, "target.api_key_env") {
            if name.hasPrefix("sk-") || name.count > 64 {
                reader.report(envNode, "target.api_key_env", "this looks like a key, not a variable name",
                              hint: "name the environment variable that holds the key (e.g. OPENAI_API_KEY); "
                                  + "never put the key in a scenario file")
                failed = true
            } else if !isEnvironmentName(name) {
                reader.report(envNode, "target.api_key_env", "'\(name)' is not an environment variable name",
                              hint: "use letters, digits and '_', not starting with a digit")
                failed = true
            } else {
                apiKeyEnv = name
            }
        }
        var headers: [HTTPHeader] = []
        if let headersNode = target["headers"],
            let entries = reader.freeMapping(headersNode, "target.headers", expecting: "a mapping of header names to values")
        {
            for entry in entries {
                let path = "target.headers." + entry.key
                guard let value = reader.string(entry.value, path, allowEmpty: true) else { failed = true; continue }
                if !isHeaderName(entry.key) {
                    reader.report(entry.keyNode, path, "'\(entry.key)' is not a valid header name")
                    failed = true
                } else if entry.key.lowercased() == "authorization" {
                    reader.report(entry.keyNode, path, "the Authorization header comes from api_key_env",
                                  hint: "set api_key_env to the variable holding the key; keys never go in files")
                    failed = true
                } else if value.contains("\r") || value.contains("\n") {
                    reader.report(entry.value, path, "header values cannot contain line breaks")
                    failed = true
                } else {
                    headers.append(HTTPHeader(name: entry.key, value: value))
                }
            }
        }
        return failed ? nil : .remote(RemoteTarget(baseURL: baseURL, apiKeyEnv: apiKeyEnv, headers: headers))
    }

    /// An http(s) URL with a host and no query or fragment, trailing slashes removed.
    private static func validatedBaseURL(_ text: String, _ node: Node, _ reader: ScenarioNodeReader) -> String? {
        var url = text
        while url.hasSuffix("/") { url.removeLast() }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            reader.report(node, "target.base_url", "'\(text)' is not an http(s) URL",
                          hint: "write e.g. https://api.openai.com/v1")
            return nil
        }
        if components.query != nil || components.fragment != nil || text.contains(" ") {
            reader.report(node, "target.base_url", "the base URL cannot have a query, fragment or spaces",
                          hint: "write only scheme, host, port and path, e.g. https://api.openai.com/v1")
            return nil
        }
        for endpoint in Endpoint.allCases where url.hasSuffix(endpoint.path) {
            reader.report(node, "target.base_url", "the base URL already ends in the endpoint path \(endpoint.path)",
                          hint: "give the base only (e.g. https://api.openai.com/v1); tierbench appends the path")
            return nil
        }
        return url
    }

    private static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }

    private static func isHeaderName(_ name: String) -> Bool {
        let separators = "()<>@,;:\\\"/[]?={} \t".unicodeScalars
        return !name.isEmpty && name.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 32 && $0.value < 127 && !separators.contains($0) }
    }

    // MARK: timeouts, http

    static func readTimeouts(_ top: ScenarioMapping, reader: ScenarioNodeReader) -> ScenarioTimeouts {
        var timeouts = ScenarioTimeouts()
        guard let section = reader.section(top, "timeouts", keys: ["connect", "request"]) else { return timeouts }
        if let node = section["connect"], let value = reader.duration(node, "timeouts.connect", positive: true) {
            timeouts.connect = value
        }
        if let node = section["request"], let value = reader.duration(node, "timeouts.request", positive: true) {
            timeouts.request = value
        }
        return timeouts
    }

    static func readHTTP(_ top: ScenarioMapping, reader: ScenarioNodeReader) -> HTTPSettings {
        var http = HTTPSettings()
        guard let section = reader.section(top, "http", keys: ["version", "follow_redirects", "loop"]) else {
            return http
        }
        if let node = section["loop"], let text = reader.string(node, "http.loop") {
            if let loop = HTTPSettings.Loop(rawValue: text) {
                http.loop = loop
            } else {
                reader.report(node, "http.loop", "expected \"epoll\" or \"poll\", got '\(text)'")
            }
        }
        if let node = section["follow_redirects"],
            let count = reader.int(node, "http.follow_redirects", min: 0, max: HTTPSettings.maximumRedirects)
        {
            http.followRedirects = count
        }
        guard let node = section["version"] else { return http }
        let aliases: [String: HTTPSettings.Version] = ["1.1": .http1_1, "2": .http2, "2.0": .http2]
        if let text = reader.string(node, "http.version") {
            if let version = aliases[text] {
                http.version = version
            } else {
                reader.report(node, "http.version", "expected \"1.1\" or \"2\", got '\(text)'")
            }
        }
        return http
    }
}
