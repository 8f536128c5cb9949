/// A minimal RFC 4180 CSV reader: comma-separated fields, optionally in double quotes (`""` is a quote inside one;
/// quoted fields may hold commas and line breaks). Lines end in LF or CR LF; blank lines are skipped.
struct CSVTable {
    /// One record with the line it starts on (from 1).
    struct Row {
        var line: Int
        var fields: [String]
    }

    /// The rows of `text`.
    /// - Throws: `PromptLoadError` for a quote that is never closed or text after a closing quote.
    static func parse(_ text: String, file: String) throws(PromptLoadError) -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var rowLine = 1
        var quoted = false
        var wasQuoted = false
        let bytes = Array(text.utf8)
        var index = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        func endRow() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(line: rowLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                        wasQuoted = true
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\n"):
                endRow()
                line += 1
                rowLine = line
            case UInt8(ascii: "\r"):
                continue
            case UInt8(ascii: "\"") where field.isEmpty && !wasQuoted:
                quoted = true
            default:
                if wasQuoted {
                    throw TraceParser.error(file, line, "text after a closing quote", hint: "write \"\" for a quote inside a quoted field")
                }
                field.append(byte)
            }
        }
        if quoted {
            throw TraceParser.error(file, rowLine, "a quoted field is never closed", hint: "close the field with \"")
        }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRow() }
        return rows
    }
}
