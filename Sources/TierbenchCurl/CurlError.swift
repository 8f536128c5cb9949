/// A libcurl setup failure: a handle could not be created or an option was refused.
///
/// Failed *transfers* are not errors: they are data, reported as a ``TransferResult`` with an `errorClass`.
public struct CurlError: Error, Sendable, CustomStringConvertible {
    /// The libcurl result code (`CURLcode`, `CURLMcode` or `CURLUcode`, by context), or -1 for a tierbench check.
    public var code: Int32
    /// What went wrong, in words.
    public var message: String

    public init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "libcurl error \(code): \(message)" }
}
