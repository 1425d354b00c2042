/// git's `wildmatch()` with `WM_PATHNAME`, the matcher behind `.gitignore`:
/// `*` and `?` stop at `/`, `**` between slashes spans directories, brackets
/// take ranges, `!`/`^` negation and POSIX classes, `\` escapes.
///
/// git's backtracking is exponential in the number of `*`s (`**/` twenty-four times then `keep`
/// against a 40-deep path never ends, in git too). The outcome of matching from a (pattern, text)
/// position never depends on how that position was reached, so patterns with two or more `*`s
/// remember each position's outcome: at most (pattern + 1) × (text + 1) positions are ever
/// evaluated, each in time linear in the text, with git's results and early aborts unchanged.
public enum Wildmatch {
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        matches(Array(pattern.utf8), Array(text.utf8)[...])
    }

    public static func matches(_ pattern: [UInt8], _ text: [UInt8]) -> Bool {
        matches(pattern, text[...])
    }

    public static func matches(_ pattern: [UInt8], _ text: ArraySlice<UInt8>) -> Bool {
        pattern.withUnsafeBufferPointer { p in
            text.withUnsafeBufferPointer { t in
                var matcher = Matcher(pattern: p, text: t)
                return matcher.run(0, 0) == .match
            }
        }
    }

    private enum Outcome: UInt8 { case match = 1, noMatch, abortAll, abortToStarStar }

    private struct Matcher {
        let pattern: UnsafeBufferPointer<UInt8>
        let text: UnsafeBufferPointer<UInt8>
        /// Outcomes by `pi * (text.count + 1) + ti`, 0 for not yet known; empty when the pattern
        /// has fewer than two `*`s (then no position is reached twice).
        private var memo: [UInt8] = []
        private static let slash = UInt8(ascii: "/"), star = UInt8(ascii: "*")

        init(pattern: UnsafeBufferPointer<UInt8>, text: UnsafeBufferPointer<UInt8>) {
            self.pattern = pattern
            self.text = text
            var stars = 0
            for byte in pattern where byte == Self.star { stars += 1 }
            if stars >= 2 { memo = [UInt8](repeating: 0, count: (pattern.count + 1) * (text.count + 1)) }
        }

        /// The byte at `i`, or 0 past the end (the C original walks NUL-terminated strings).
        private func p(_ i: Int) -> UInt8 { i < pattern.count ? pattern[i] : 0 }
        private func t(_ i: Int) -> UInt8 { i < text.count ? text[i] : 0 }

        private func textHasSlash(from start: Int) -> Bool { firstSlash(from: start) != nil }

        private func firstSlash(from start: Int) -> Int? {
            var i = start
            while i < text.count {
                if text[i] == Self.slash { return i }
                i += 1
            }
            return nil
        }

        mutating func run(_ startP: Int, _ startT: Int) -> Outcome {
            guard !memo.isEmpty else { return evaluate(startP, startT) }
            let key = startP * (text.count + 1) + startT
            if let known = Outcome(rawValue: memo[key]) { return known }
            let outcome = evaluate(startP, startT)
            memo[key] = outcome.rawValue
            return outcome
        }

        private mutating func evaluate(_ startP: Int, _ startT: Int) -> Outcome {
            var pi = startP
            var ti = startT
            while pi < pattern.count {
                var pc = pattern[pi]
                let tc = t(ti)
                if ti >= text.count && pc != Self.star { return .abortAll }
                switch pc {
                case UInt8(ascii: "\\"):
                    pi += 1
                    pc = p(pi)
                    if tc != pc { return .noMatch }
                case UInt8(ascii: "?"):
                    if tc == Self.slash { return .noMatch }
                case Self.star:
                    var matchSlash = false
                    pi += 1
                    if p(pi) == Self.star {
                        let prev = pi - 2
                        while p(pi) == Self.star { pi += 1 }
                        let next = p(pi)
                        if (prev < 0 || pattern[prev] == Self.slash)
                            && (pi >= pattern.count || next == Self.slash
                                || (next == UInt8(ascii: "\\") && p(pi + 1) == Self.slash)) {
                            if next == Self.slash && run(pi + 1, ti) == .match { return .match }
                            matchSlash = true
                        }
                    }
                    if pi >= pattern.count {
                        if !matchSlash && textHasSlash(from: ti) { return .abortToStarStar }
                        return .match
                    }
                    if !matchSlash && p(pi) == Self.slash {
                        guard let slash = firstSlash(from: ti) else { return .abortAll }
                        ti = slash
                        break
                    }
                    while ti < text.count {
                        let current = text[ti]
                        let outcome = run(pi, ti)
                        if outcome != .noMatch {
                            if !matchSlash || outcome != .abortToStarStar { return outcome }
                        } else if !matchSlash && current == Self.slash {
                            return .abortToStarStar
                        }
                        ti += 1
                    }
                    return .abortAll
                case UInt8(ascii: "["):
                    guard let (matched, next) = bracket(pi, tc) else { return .abortAll }
                    if !matched || tc == Self.slash { return .noMatch }
                    pi = next
                default:
                    if tc != pc { return .noMatch }
                }
                pi += 1
                ti += 1
            }
            return ti >= text.count ? .match : .noMatch
        }

        /// Evaluates the bracket expression opening at `open` against `tc`.
        /// Returns whether it matched and the index of its closing `]`, or nil when malformed.
        private func bracket(_ open: Int, _ tc: UInt8) -> (Bool, Int)? {
            var i = open + 1
            var pc = p(i)
            let negated = pc == UInt8(ascii: "!") || pc == UInt8(ascii: "^")
            if negated { i += 1; pc = p(i) }
            var prev: UInt8 = 0
            var matched = false
            repeat {
                if pc == 0 { return nil }
                if pc == UInt8(ascii: "\\") {
                    i += 1
                    pc = p(i)
                    if pc == 0 { return nil }
                    if tc == pc { matched = true }
                } else if pc == UInt8(ascii: "-") && prev != 0 && p(i + 1) != 0 && p(i + 1) != UInt8(ascii: "]") {
                    i += 1
                    pc = p(i)
                    if pc == UInt8(ascii: "\\") {
                        i += 1
                        pc = p(i)
                        if pc == 0 { return nil }
                    }
                    if tc <= pc && tc >= prev { matched = true }
                    pc = 0
                } else if pc == UInt8(ascii: "[") && p(i + 1) == UInt8(ascii: ":") {
                    let nameStart = i + 2
                    var j = nameStart
                    while p(j) != 0 && p(j) != UInt8(ascii: "]") { j += 1 }
                    if p(j) == 0 { return nil }
                    if j - nameStart - 1 < 0 || p(j - 1) != UInt8(ascii: ":") {
                        // No ":]": a literal '['.
                        if tc == UInt8(ascii: "[") { matched = true }
                    } else {
                        let name = String(decoding: pattern[nameStart..<(j - 1)], as: UTF8.self)
                        guard let inClass = Self.posixClass(name, tc) else { return nil }
                        if inClass { matched = true }
                        i = j
                        pc = 0
                    }
                } else if tc == pc {
                    matched = true
                }
                prev = pc
                i += 1
                pc = p(i)
            } while pc != UInt8(ascii: "]")
            return (matched != negated, i)
        }

        private static func posixClass(_ name: String, _ c: UInt8) -> Bool? {
            let isUpper = c >= 65 && c <= 90, isLower = c >= 97 && c <= 122, isDigit = c >= 48 && c <= 57
            let isSpace = c == 32 || (c >= 9 && c <= 13)
            let isPunct = (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)
            switch name {
            case "alnum": return isUpper || isLower || isDigit
            case "alpha": return isUpper || isLower
            case "blank": return c == 32 || c == 9
            case "cntrl": return c < 32 || c == 127
            case "digit": return isDigit
            case "graph": return c > 32 && c < 127
            case "lower": return isLower
            case "print": return c >= 32 && c < 127
            case "punct": return isPunct
            case "space": return isSpace
            case "upper": return isUpper
            case "xdigit": return isDigit || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
            default: return nil
            }
        }
    }
}
