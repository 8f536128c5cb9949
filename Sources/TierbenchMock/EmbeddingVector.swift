import Hummingbird

/// Deterministic embedding vectors: the same seed and input text always give the same unit-length vector.
enum EmbeddingVector {
    /// Fills `vector` with a unit vector drawn from (seed, input hash).
    static func fill(_ vector: inout [Float], seed: UInt64, inputHash: UInt64) {
        var random = MockRandom(seed: seed ^ 0x656D_6265_6464, sequence: inputHash)
        var sumOfSquares: Float = 0
        for index in vector.indices {
            // Uniform in [-1, 1), in float precision.
            let value = Float(Int32(truncatingIfNeeded: random.next() >> 32)) / 2_147_483_648
            vector[index] = value
            sumOfSquares += value * value
        }
        let scale = sumOfSquares > 0 ? 1 / sumOfSquares.squareRoot() : 0
        for index in vector.indices { vector[index] *= scale }
    }

    /// Writes the base64 of the vector's little-endian IEEE-754 float32 bytes (what the SDKs decode with
    /// `np.frombuffer(base64.b64decode(s), dtype="float32")`).
    static func writeBase64(_ vector: [Float], into buffer: inout ByteBuffer) {
        let alphabet = base64Alphabet
        var pending: UInt32 = 0
        var pendingBytes = 0
        func emit(_ byte: UInt8) {
            pending = pending << 8 | UInt32(byte)
            pendingBytes += 1
            if pendingBytes == 3 {
                buffer.writeInteger(alphabet[Int(pending >> 18 & 0x3F)])
                buffer.writeInteger(alphabet[Int(pending >> 12 & 0x3F)])
                buffer.writeInteger(alphabet[Int(pending >> 6 & 0x3F)])
                buffer.writeInteger(alphabet[Int(pending & 0x3F)])
                pending = 0
                pendingBytes = 0
            }
        }
        for value in vector {
            let bits = value.bitPattern.littleEndian
            emit(UInt8(truncatingIfNeeded: bits))
            emit(UInt8(truncatingIfNeeded: bits >> 8))
            emit(UInt8(truncatingIfNeeded: bits >> 16))
            emit(UInt8(truncatingIfNeeded: bits >> 24))
        }
        if pendingBytes == 1 {
            pending <<= 16
            buffer.writeInteger(alphabet[Int(pending >> 18 & 0x3F)])
            buffer.writeInteger(alphabet[Int(pending >> 12 & 0x3F)])
            buffer.writeStaticString("==")
        } else if pendingBytes == 2 {
            pending <<= 8
            buffer.writeInteger(alphabet[Int(pending >> 18 & 0x3F)])
            buffer.writeInteger(alphabet[Int(pending >> 12 & 0x3F)])
            buffer.writeInteger(alphabet[Int(pending >> 6 & 0x3F)])
            buffer.writeStaticString("=")
        }
    }

    static let base64Alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
}
