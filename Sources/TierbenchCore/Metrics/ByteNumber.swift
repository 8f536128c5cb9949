/// Unsigned decimal numbers read in place from a byte range (header values, durations).
enum ByteNumber {
    /// A non-negative integer filling all of `range`; nil if any byte is not a digit or it overflows.
    static func integer(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty else { return nil }
        var value = 0
        for index in range {
            let byte = bytes[index]
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            let (product, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = product.addingReportingOverflow(Int(byte - 0x30))
            guard !overflow1 && !overflow2 else { return nil }
            value = sum
        }
        return value
    }

    /// A non-negative decimal (`56`, `0.25`, `1.`) filling all of `range`; nil otherwise.
    static func decimal(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Double? {
        guard let (value, end) = leadingDecimal(bytes, range), end == range.upperBound else { return nil }
        return value
    }

    /// The decimal at the start of `range` and the index after it; nil when `range` does not start with a digit.
    static func leadingDecimal(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> (Double, Int)? {
        var index = range.lowerBound
        var whole: Double = 0
        var digits = 0
        while index < range.upperBound, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            whole = whole * 10 + Double(bytes[index] - 0x30)
            index += 1
            digits += 1
        }
        if index < range.upperBound && bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < range.upperBound, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                whole += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
                digits += 1
            }
        }
        return digits > 0 ? (whole, index) : nil
    }
}
