/// Layout touches for pretty-printed JSON.
enum JSONLayout {
    /// Rewrites every array that holds only scalars (no `[` or `{` inside) onto one line: `[1, 2, 3]`.
    /// Strings are copied verbatim; the JSON value is unchanged.
    static func collapsingScalarArrays(_ json: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(json.count)
        var index = 0
        while index < json.count {
            let byte = json[index]
            if byte == JSONBytes.quote {
                let end = stringEnd(json, from: index)
                out.append(contentsOf: json[index..<end])
                index = end
            } else if byte == JSONBytes.openBracket, let close = scalarArrayEnd(json, from: index) {
                out.append(JSONBytes.openBracket)
                var position = index + 1
                while position < close {
                    let current = json[position]
                    if JSONBytes.isWhitespace(current) {
                        position += 1
                    } else if current == JSONBytes.comma {
                        out.append(contentsOf: [JSONBytes.comma, 0x20])
                        position += 1
                    } else if current == JSONBytes.quote {
                        let end = stringEnd(json, from: position)
                        out.append(contentsOf: json[position..<end])
                        position = end
                    } else {
                        out.append(current)
                        position += 1
                    }
                }
                out.append(JSONBytes.closeBracket)
                index = close + 1
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out
    }

    /// The index after the string whose opening quote is at `start`.
    private static func stringEnd(_ json: [UInt8], from start: Int) -> Int {
        var position = start + 1
        while position < json.count {
            if json[position] == JSONBytes.backslash {
                position += 2
            } else if json[position] == JSONBytes.quote {
                return position + 1
            } else {
                position += 1
            }
        }
        return json.count
    }

    /// The index of the `]` closing the array at `start` when the array holds only scalars; nil otherwise.
    private static func scalarArrayEnd(_ json: [UInt8], from start: Int) -> Int? {
        var position = start + 1
        while position < json.count {
            let byte = json[position]
            if byte == JSONBytes.quote {
                position = stringEnd(json, from: position)
                continue
            }
            if byte == JSONBytes.openBracket || byte == JSONBytes.openBrace { return nil }
            if byte == JSONBytes.closeBracket { return position }
            position += 1
        }
        return nil
    }
}
