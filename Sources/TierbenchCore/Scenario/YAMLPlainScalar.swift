/// How a plain (unquoted) YAML scalar reads, including the YAML 1.1 spellings that would silently change a value.
///
/// The loader never lets Yams' YAML 1.1 resolver type a value: it classifies the scalar's text itself, accepts
/// the YAML 1.2 core forms, and turns every 1.1-only form (`yes`, `010`, `1:30`, `0x1F`, `1_000`) into an error.
enum YAMLPlainScalar: Equatable {
    /// `~`, `null`, `Null`, `NULL` or nothing.
    case null
    /// `true`/`True`/`TRUE`/`false`/`False`/`FALSE`.
    case bool(Bool)
    /// A plain decimal integer such as `42` or `-7`.
    case int(Int)
    /// A YAML 1.2 core float such as `0.7`, `.5` or `1e-3` (or a decimal integer too large for `Int`).
    case float(Double)
    /// `y`, `yes`, `on`, `n`, `no`, `off` and their capitalisations: a boolean in YAML 1.1, a string in 1.2.
    case yaml11Bool(String)
    /// A number with a leading zero such as `010`: octal in YAML 1.1, decimal in 1.2.
    case leadingZero(String)
    /// `1:30`: a base-60 number (90) in YAML 1.1, a string in 1.2.
    case sexagesimal(String)
    /// `0x1F`, `0o17`, `0b101`: not plain decimal.
    case nonDecimal(String)
    /// `1_000`: a number in YAML 1.1, a string in 1.2.
    case underscored(String)
    /// `.inf`, `-.inf`, `.nan`: not representable in JSON.
    case nonFinite(String)
    /// Anything else: a string.
    case string(String)

    /// Classifies the text of a plain scalar.
    init(_ text: String) {
        switch text {
        case "", "~", "null", "Null", "NULL": self = .null
        case "true", "True", "TRUE": self = .bool(true)
        case "false", "False", "FALSE": self = .bool(false)
        case "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF":
            self = .yaml11Bool(text)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
            self = .nonFinite(text)
        default:
            self = YAMLPlainScalar.classifyNumeric(text) ?? .string(text)
        }
    }

    private static func classifyNumeric(_ text: String) -> YAMLPlainScalar? {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        if let first = scalars.first, first == "-" || first == "+" { index = 1 }
        let body = scalars[index...]
        guard let lead = body.first, isDigit(lead) || lead == "." else { return nil }
        let bodyText = String(String.UnicodeScalarView(body))
        if bodyText.count > 2, lead == "0", let marker = body.dropFirst().first, "xXoObB".unicodeScalars.contains(marker),
            body.dropFirst(2).allSatisfy({ isHexDigit($0) || $0 == "_" })
        {
            return .nonDecimal(text)
        }
        if body.contains(":") {
            let parts = bodyText.split(separator: ":", omittingEmptySubsequences: false)
            let numeric = parts.allSatisfy { !$0.isEmpty && $0.unicodeScalars.allSatisfy { isDigit($0) || $0 == "_" || $0 == "." } }
            return numeric && isDigit(lead) ? .sexagesimal(text) : nil
        }
        if body.contains("_") {
            let numeric = body.allSatisfy { isDigit($0) || $0 == "_" || $0 == "." } && isDigit(lead)
            return numeric ? .underscored(text) : nil
        }
        if body.allSatisfy(isDigit) {
            if body.count > 1 && lead == "0" { return .leadingZero(text) }
            if let value = Int(text) { return .int(value) }
            return Double(text).map { .float($0) }
        }
        return isCoreFloat(body) ? Double(text).map { .float($0) } : nil
    }

    /// YAML 1.2 core float: `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` after the sign.
    private static func isCoreFloat(_ body: ArraySlice<Unicode.Scalar>) -> Bool {
        var rest = body[...]
        let intDigits = rest.prefix(while: isDigit).count
        rest = rest.dropFirst(intDigits)
        var fractionDigits = 0
        if rest.first == "." {
            rest = rest.dropFirst()
            fractionDigits = rest.prefix(while: isDigit).count
            rest = rest.dropFirst(fractionDigits)
        }
        guard intDigits > 0 || fractionDigits > 0 else { return false }
        if let marker = rest.first, marker == "e" || marker == "E" {
            rest = rest.dropFirst()
            if let sign = rest.first, sign == "-" || sign == "+" { rest = rest.dropFirst() }
            let exponentDigits = rest.prefix(while: isDigit).count
            guard exponentDigits > 0 else { return false }
            rest = rest.dropFirst(exponentDigits)
        }
        return rest.isEmpty
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
    private static func isHexDigit(_ scalar: Unicode.Scalar) -> Bool {
        isDigit(scalar) || ("a"..."f").contains(scalar) || ("A"..."F").contains(scalar)
    }

    /// What this scalar is, for "got …" in messages: `the boolean true`, `'ten'`, `nothing (null)`.
    var gotDescription: String {
        switch self {
        case .null: return "nothing (null)"
        case .bool(let value): return "the boolean \(value)"
        case .int(let value): return "\(value)"
        case .float(let value): return "\(value)"
        case .yaml11Bool(let text), .leadingZero(let text), .sexagesimal(let text), .nonDecimal(let text),
            .underscored(let text), .nonFinite(let text), .string(let text):
            return "'\(text)'"
        }
    }

    /// For the YAML 1.1 spellings: the error message and hint. nil for values that read the same in 1.1 and 1.2.
    func surprise(expecting: String) -> (message: String, hint: String)? {
        switch self {
        case .yaml11Bool(let text):
            return ("plain '\(text)' is ambiguous (YAML 1.1 reads it as a boolean)",
                    "write true or false for a boolean, or quote it (\"\(text)\") for text")
        case .leadingZero(let text):
            return ("'\(text)' has a leading zero, which YAML 1.1 reads as an octal number",
                    "write \(expecting) without the leading zero, or quote it for text")
        case .sexagesimal(let text):
            return ("'\(text)' is a base-60 number in YAML 1.1",
                    "write \(expecting) as a plain value, or quote it (\"\(text)\") for text")
        case .nonDecimal(let text):
            return ("'\(text)' is not a plain decimal number", "write \(expecting) in decimal, or quote it for text")
        case .underscored(let text):
            return ("'\(text)' uses digit separators, which YAML versions read differently",
                    "write it without underscores, or quote it for text")
        case .nonFinite(let text):
            return ("'\(text)' is not a finite number", "write a finite number")
        default:
            return nil
        }
    }
}
