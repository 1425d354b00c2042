#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct GrepMatch: Sendable, Equatable {
    public var path: String
    public var line: Int
    /// The line without its terminator (`\n` or `\r\n`).
    public var text: String
}

public struct GrepOptions: Sendable {
    public var pathGlob: String?
    public var maxHits: Int
    public var ignoreCase: Bool
    /// The pattern is a literal string, not a regular expression.
    public var fixedString: Bool

    public init(pathGlob: String? = nil, maxHits: Int = 200, ignoreCase: Bool = false, fixedString: Bool = false) {
        self.pathGlob = pathGlob
        self.maxHits = maxHits
        self.ignoreCase = ignoreCase
        self.fixedString = fixedString
    }
}

extension ContextSnapshot {
    /// Lines matching `pattern`, in context order, scanning the mapped bytes of each document.
    ///
    /// Patterns are POSIX extended regular expressions with GNU's `\w \W \s \S \b \< \>` and,
    /// translated here, `\d \D`. A pattern with no special characters is searched with `memmem`.
    public func grep(_ pattern: String, options: GrepOptions = GrepOptions()) throws(StoreError) -> [GrepMatch] {
        guard options.maxHits > 0 else { return [] }
        let matcher = try LineMatcher(pattern: pattern, ignoreCase: options.ignoreCase, fixedString: options.fixedString)
        let glob = options.pathGlob.map(PathGlob.init)
        var matches: [GrepMatch] = []
        for document in documents where glob?.matches(document.path) ?? true {
            let content = content(of: document)
            guard let base = content.baseAddress?.assumingMemoryBound(to: CChar.self) else { continue }
            var position = 0
            var line = 1
            var counted = 0  // byte up to which newlines are counted into `line`
            while position <= content.count, let hit = matcher.firstMatch(base, from: position, end: content.count) {
                var lineStart = hit
                while lineStart > 0 && base[lineStart - 1] != 0x0A { lineStart -= 1 }
                let lineEnd = memchr(base + hit, 0x0A, content.count - hit).map { base.distance(to: $0.assumingMemoryBound(to: CChar.self)) } ?? content.count
                line += LineIndex.newlines(in: UnsafeRawBufferPointer(rebasing: content[counted..<lineStart]))
                counted = lineStart
                var textEnd = lineEnd
                if textEnd > lineStart && content[textEnd - 1] == 0x0D { textEnd -= 1 }
                matches.append(GrepMatch(path: document.path, line: line,
                                         text: String(decoding: content[lineStart..<textEnd], as: UTF8.self)))
                if matches.count >= options.maxHits { return matches }
                position = lineEnd + 1
            }
        }
        return matches
    }
}

/// Finds the first match at or after a byte position within one document's bytes.
private final class LineMatcher {
    private var regex = regex_t()
    private var compiled = false
    private let literal: [UInt8]?

    init(pattern: String, ignoreCase: Bool, fixedString: Bool) throws(StoreError) {
        if (fixedString || !Self.hasSpecialCharacters(pattern)) && !ignoreCase {
            literal = Array(pattern.utf8)
            return
        }
        literal = nil
        let source = fixedString ? Self.escaped(pattern) : Self.translated(pattern)
        var flags = REG_EXTENDED | REG_NEWLINE
        if ignoreCase { flags |= REG_ICASE }
        let status = regcomp(&regex, source, flags)
        guard status == 0 else {
            var message = [CChar](repeating: 0, count: 256)
            regerror(status, &regex, &message, message.count)
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw .invalidPattern("\(pattern): \(text)")
        }
        compiled = true
    }

    deinit { if compiled { regfree(&regex) } }

    func firstMatch(_ base: UnsafePointer<CChar>, from position: Int, end: Int) -> Int? {
        guard position <= end else { return nil }
        if let literal {
            if literal.isEmpty { return position < end || position == 0 ? position : nil }
            return Self.find(literal, in: UnsafeRawPointer(base), from: position, end: end)
        }
        var match = [regmatch_t(rm_so: regoff_t(position), rm_eo: regoff_t(end))]
        guard regexec(&regex, base, 1, &match, REG_STARTEND) == 0 else { return nil }
        let start = Int(match[0].rm_so)
        // An empty match at the very end of a document that ends with a newline is not a line.
        if start == end && end > 0 && base[end - 1] == 0x0A { return nil }
        return start
    }

    /// `memmem` (a GNU extension Swift does not import): `memchr` for the first byte, `memcmp` for the rest.
    private static func find(_ needle: [UInt8], in base: UnsafeRawPointer, from start: Int, end: Int) -> Int? {
        let first = Int32(needle[0])
        var position = start
        return needle.withUnsafeBytes { needleBytes in
            while end - position >= needle.count {
                guard let candidate = memchr(base + position, first, end - position - needle.count + 1) else { return nil }
                let offset = base.distance(to: UnsafeRawPointer(candidate))
                if memcmp(candidate, needleBytes.baseAddress!, needle.count) == 0 { return offset }
                position = offset + 1
            }
            return nil
        }
    }

    private static func hasSpecialCharacters(_ pattern: String) -> Bool {
        pattern.utf8.contains { "\\^$.|?*+()[]{}".utf8.contains($0) }
    }

    private static func escaped(_ pattern: String) -> String {
        var out = ""
        for character in pattern {
            if "\\^$.|?*+()[]{}".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// Python-style `\d`/`\D` to POSIX classes; everything else is passed to glibc as written.
    private static func translated(_ pattern: String) -> String {
        var out = ""
        var escaping = false
        for character in pattern {
            if escaping {
                switch character {
                case "d": out += "[0-9]"
                case "D": out += "[^0-9]"
                default: out += "\\\(character)"
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        if escaping { out += "\\\\" }
        return out
    }
}
