/// The pieces of a `multipart/form-data` body (RFC 7578) for `POST /v1/files`: text fields, then one file part.
///
/// The file's bytes are not held here: the engine writes ``head`` then the file then ``tail`` into one buffer, so a
/// large input file is copied once.
public struct MultipartFormBody: Sendable, Equatable {
    /// The boundary (no leading dashes). It must not occur in the file; a random one of 32 hex digits after a fixed
    /// prefix makes that practically certain for JSONL text.
    public let boundary: String
    /// Text fields sent before the file, in order (e.g. `purpose=batch`).
    public let fields: [(name: String, value: String)]
    /// The form field of the file (`file`) and its file name.
    public let fileField: String
    public let fileName: String
    public let fileContentType: String

    public init(boundary: String, fields: [(name: String, value: String)], fileField: String = "file",
                fileName: String, fileContentType: String = "application/jsonl") {
        self.boundary = boundary
        self.fields = fields
        self.fileField = fileField
        self.fileName = fileName
        self.fileContentType = fileContentType
    }

    public static func == (lhs: MultipartFormBody, rhs: MultipartFormBody) -> Bool {
        lhs.boundary == rhs.boundary && lhs.fileField == rhs.fileField && lhs.fileName == rhs.fileName
            && lhs.fileContentType == rhs.fileContentType
            && lhs.fields.map(\.name) == rhs.fields.map(\.name) && lhs.fields.map(\.value) == rhs.fields.map(\.value)
    }

    /// A boundary from 16 random bytes: `tierbench-` and 32 hex digits.
    public static func boundary(randomBytes: [UInt8]) -> String {
        "tierbench-" + randomBytes.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The `Content-Type` header value: `multipart/form-data; boundary=…`.
    public var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// Everything before the file's bytes: each field's part, then the file part's headers.
    public var head: [UInt8] {
        var text = ""
        for field in fields {
            text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.quoted(field.name))\"\r\n\r\n"
            text += field.value + "\r\n"
        }
        text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.quoted(fileField))\"; "
            + "filename=\"\(Self.quoted(fileName))\"\r\nContent-Type: \(fileContentType)\r\n\r\n"
        return Array(text.utf8)
    }

    /// Everything after the file's bytes: the closing delimiter.
    public var tail: [UInt8] { Array("\r\n--\(boundary)--\r\n".utf8) }

    /// The whole body around `file` (for small files and tests).
    public func body(file: [UInt8]) -> [UInt8] { head + file + tail }

    /// A name or file name inside quotes: `"` and `\` escaped, line breaks dropped (RFC 7578 §4.2).
    static func quoted(_ text: String) -> String {
        var out = ""
        for character in text where character != "\r" && character != "\n" {
            if character == "\"" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
