/// Conversions between Unicode-scalar (char) and byte offsets inside valid UTF-8.
enum UTF8Offsets {
    @inline(__always) static func isScalarStart(_ byte: UInt8) -> Bool { byte & 0xC0 != 0x80 }

    /// Byte offset of the `chars`-th scalar of `bytes` (or its end).
    static func byteOffset(ofChar chars: Int, in bytes: UnsafeRawBufferPointer) -> Int {
        var seen = 0
        var index = 0
        while index < bytes.count {
            if isScalarStart(bytes[index]) {
                if seen == chars { return index }
                seen += 1
            }
            index += 1
        }
        return bytes.count
    }

    /// Scalars in `bytes`.
    static func charCount(_ bytes: UnsafeRawBufferPointer) -> Int {
        var count = 0
        for byte in bytes where isScalarStart(byte) { count += 1 }
        return count
    }
}
