/// What the indexer learns from one file's bytes in a single pass.
public struct DecodedText: Sendable {
    /// Valid UTF-8: the input itself when it was valid, otherwise a copy with
    /// every invalid sequence replaced by U+FFFD.
    public var bytes: [UInt8]
    /// Unicode scalars, which is what Python's `str` indexes.
    public var scalarCount: Int
    public var lineCount: Int
    public var invalidSequences: Int
    public var isASCII: Bool { scalarCount == bytes.count }
}

public enum TextDecoder {
    private static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    public static func decode(_ input: [UInt8]) -> DecodedText {
        input.withUnsafeBufferPointer { buffer in
            if let counts = validCounts(buffer) {
                return DecodedText(bytes: input, scalarCount: counts.scalars, lineCount: lineCount(buffer, newlines: counts.newlines),
                                   invalidSequences: 0)
            }
            return repair(buffer)
        }
    }

    /// The counts of bytes known to be valid UTF-8 (a Swift `String`'s), without validating them
    /// again: scalars are the bytes that do not continue a sequence. Sixteen bytes at a time.
    public static func decode(valid bytes: [UInt8]) -> DecodedText {
        var newlines = 0
        var continuations = 0
        bytes.withUnsafeBytes { raw in
            let newline = SIMD16<UInt8>(repeating: 0x0A), top = SIMD16<UInt8>(repeating: 0xC0)
            let continuation = SIMD16<UInt8>(repeating: 0x80), zero = SIMD16<UInt8>(), one = SIMD16<UInt8>(repeating: 1)
            var i = 0
            while i + 16 <= raw.count {
                // Lane counters of at most 255 rounds each, then added up.
                var newlineLanes = zero, continuationLanes = zero
                var rounds = 0
                while rounds < 255 && i + 16 <= raw.count {
                    let chunk = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                    newlineLanes &+= zero.replacing(with: one, where: chunk .== newline)
                    continuationLanes &+= zero.replacing(with: one, where: (chunk & top) .== continuation)
                    i += 16
                    rounds += 1
                }
                newlines += Int(SIMD16<UInt16>(truncatingIfNeeded: newlineLanes).wrappedSum())
                continuations += Int(SIMD16<UInt16>(truncatingIfNeeded: continuationLanes).wrappedSum())
            }
            for byte in raw[i...] {
                if byte == 0x0A { newlines += 1 }
                if byte & 0xC0 == 0x80 { continuations += 1 }
            }
        }
        let lines = bytes.withUnsafeBufferPointer { lineCount($0, newlines: newlines) }
        return DecodedText(bytes: bytes, scalarCount: bytes.count - continuations, lineCount: lines, invalidSequences: 0)
    }

    /// Lines as an editor shows them: a final line without `\n` still counts.
    static func lineCount(_ bytes: UnsafeBufferPointer<UInt8>, newlines: Int) -> Int {
        guard let last = bytes.last else { return 0 }
        return last == 0x0A ? newlines : newlines + 1
    }

    /// Scalar and newline counts when `bytes` is valid UTF-8, nil otherwise.
    static func validCounts(_ bytes: UnsafeBufferPointer<UInt8>) -> (scalars: Int, newlines: Int)? {
        var scalars = 0
        var newlines = 0
        var i = 0
        let n = bytes.count
        guard let base = bytes.baseAddress else { return (0, 0) }
        let raw = UnsafeRawPointer(base)
        while i < n {
            // Eight ASCII bytes at a time: the common case for source code.
            if i + 8 <= n {
                let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    newlines += newlineCount(word)
                    scalars += 8
                    i += 8
                    continue
                }
            }
            let b = base[i]
            if b < 0x80 {
                if b == 0x0A { newlines += 1 }
                i += 1
            } else {
                guard let length = sequenceLength(base, i, n) else { return nil }
                i += length
            }
            scalars += 1
        }
        return (scalars, newlines)
    }

    @inline(__always) private static func newlineCount(_ word: UInt64) -> Int {
        // Bytes equal to 0x0A become 0x80 in `found`; the rest 0 (all bytes < 0x80 here).
        let x = word ^ 0x0A0A_0A0A_0A0A_0A0A
        let found = ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x) & 0x8080_8080_8080_8080
        return found.nonzeroBitCount
    }

    /// Length of the well-formed UTF-8 sequence starting at `i`, or nil (Unicode Table 3-7).
    @inline(__always) static func sequenceLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int? {
        let b0 = p[i]
        func cont(_ j: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            j < n && p[j] >= lo && p[j] <= hi
        }
        switch b0 {
        case 0xC2...0xDF: return cont(i + 1) ? 2 : nil
        case 0xE0: return cont(i + 1, 0xA0) && cont(i + 2) ? 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF: return cont(i + 1) && cont(i + 2) ? 3 : nil
        case 0xED: return cont(i + 1, 0x80, 0x9F) && cont(i + 2) ? 3 : nil
        case 0xF0: return cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3) ? 4 : nil
        case 0xF1...0xF3: return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : nil
        case 0xF4: return cont(i + 1, 0x80, 0x8F) && cont(i + 2) && cont(i + 3) ? 4 : nil
        default: return nil
        }
    }

    /// Slow path: copy, replacing each maximal invalid subpart with U+FFFD as Python's
    /// `bytes.decode(errors="replace")` does, so both sides agree on every char offset.
    private static func repair(_ bytes: UnsafeBufferPointer<UInt8>) -> DecodedText {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + 16)
        var scalars = 0
        var newlines = 0
        var invalid = 0
        var i = 0
        let n = bytes.count
        let p = bytes.baseAddress!
        while i < n {
            let b = p[i]
            if b < 0x80 {
                out.append(b)
                if b == 0x0A { newlines += 1 }
                i += 1
            } else if let length = sequenceLength(p, i, n) {
                out.append(contentsOf: UnsafeBufferPointer(start: p + i, count: length))
                i += length
            } else {
                out.append(contentsOf: replacement)
                invalid += 1
                i += maximalSubpartLength(p, i, n)
            }
            scalars += 1
        }
        let lines = out.withUnsafeBufferPointer { lineCount($0, newlines: newlines) }
        return DecodedText(bytes: out, scalarCount: scalars, lineCount: lines, invalidSequences: invalid)
    }

    /// How many bytes one U+FFFD replaces: the longest prefix of a valid sequence, at least 1.
    private static func maximalSubpartLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        let b0 = p[i]
        let (expected, lo, hi): (Int, UInt8, UInt8)
        switch b0 {
        case 0xC2...0xDF: (expected, lo, hi) = (2, 0x80, 0xBF)
        case 0xE0: (expected, lo, hi) = (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (expected, lo, hi) = (3, 0x80, 0xBF)
        case 0xED: (expected, lo, hi) = (3, 0x80, 0x9F)
        case 0xF0: (expected, lo, hi) = (4, 0x90, 0xBF)
        case 0xF1...0xF3: (expected, lo, hi) = (4, 0x80, 0xBF)
        case 0xF4: (expected, lo, hi) = (4, 0x80, 0x8F)
        default: return 1
        }
        var j = i + 1
        guard j < n, p[j] >= lo, p[j] <= hi else { return 1 }
        j += 1
        while j < i + expected, j < n, p[j] >= 0x80, p[j] <= 0xBF { j += 1 }
        return j - i
    }
}
