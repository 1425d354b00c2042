/// Python source as tokens for colouring: keywords, builtins, the REPL's own functions, strings
/// (prefixed, triple-quoted, f-strings with their `{…}` fields tokenized as code), comments,
/// numbers, decorators and the names `def`/`class` introduce. Not a parser: model code is often
/// cut or invalid, and anything unrecognised is plain text, never an error.
enum PythonHighlighter {
    enum Kind: String, Equatable {
        case plain, keyword = "k", builtin = "b", api = "a", string = "s", comment = "c", number = "n",
             definition = "f", decorator = "d", interpolation = "i"
    }

    struct Token: Equatable {
        var kind: Kind
        var text: String
    }

    static func html(_ code: String) -> String {
        var out = ""
        out.reserveCapacity(code.utf8.count * 2)
        for token in tokens(code) {
            if token.kind == .plain {
                out += HTML.escape(token.text)
            } else {
                out += "<span class=\"\(token.kind.rawValue)\">\(HTML.escape(token.text))</span>"
            }
        }
        return out
    }

    static func tokens(_ code: String) -> [Token] {
        var scanner = Scanner(Array(code.unicodeScalars))
        scanner.scan(until: nil, singleLine: false)
        return scanner.tokens
    }

    static let keywords: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
        "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    ]

    static let builtins: Set<String> = [
        "abs", "all", "any", "ascii", "bin", "bool", "breakpoint", "bytearray", "bytes", "callable", "chr", "classmethod",
        "compile", "complex", "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "filter", "float", "format",
        "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex", "id", "input", "int", "isinstance",
        "issubclass", "iter", "len", "list", "locals", "map", "max", "memoryview", "min", "next", "object", "oct", "open",
        "ord", "pow", "print", "property", "range", "repr", "reversed", "round", "set", "setattr", "slice", "sorted",
        "staticmethod", "str", "sum", "super", "tuple", "type", "vars", "zip", "self", "cls",
        "Exception", "BaseException", "ValueError", "KeyError", "TypeError", "IndexError", "RuntimeError", "NameError",
        "AttributeError", "StopIteration", "OSError", "ImportError", "ZeroDivisionError", "NotImplementedError",
    ]

    /// The REPL's API (Resources/repl_runtime.py): what the model calls to explore and finish.
    static let api: Set<String> = [
        "context", "docs", "read", "grep", "search", "llm_query", "llm_query_batched", "rlm_query", "FINAL", "FINAL_VAR",
        "SHOW_VARS", "history",
    ]

    private struct Scanner {
        let source: [Unicode.Scalar]
        var position = 0
        var tokens: [Token] = []
        /// The keyword before the current name (`def`/`class` make the next name a definition).
        var lastKeyword: String?

        init(_ source: [Unicode.Scalar]) { self.source = source }

        func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            position + offset < source.count ? source[position + offset] : nil
        }

        mutating func emit(_ kind: Kind, from start: Int) {
            guard start < position else { return }
            var text = ""
            text.unicodeScalars.append(contentsOf: source[start..<position])
            if kind == .plain, let last = tokens.last, last.kind == .plain {
                tokens[tokens.count - 1].text += text
            } else {
                tokens.append(Token(kind: kind, text: text))
            }
        }

        /// Tokens until the end, or (inside an f-string field) until the `}` that closes it; a field
        /// of a single-quoted f-string also ends at the end of its line.
        mutating func scan(until closing: Unicode.Scalar?, singleLine: Bool) {
            var depth = 0
            while let scalar = peek() {
                if singleLine && scalar == "\n" { return }
                if let closing {
                    if scalar == "{" || scalar == "(" || scalar == "[" { depth += 1 }
                    if scalar == "}" || scalar == ")" || scalar == "]" {
                        if depth == 0 && scalar == closing { return }
                        depth -= 1
                    }
                }
                let start = position
                if scalar == "#" {
                    while let next = peek(), next != "\n" { position += 1 }
                    emit(.comment, from: start)
                } else if scalar == "\"" || scalar == "'" {
                    string(prefixStart: start)
                } else if Self.isDigit(scalar) || (scalar == "." && peek(1).map(Self.isDigit) == true) {
                    number()
                    emit(.number, from: start)
                } else if Self.isNameStart(scalar) {
                    while let next = peek(), Self.isNameContinue(next) { position += 1 }
                    if let quote = peek(), quote == "\"" || quote == "'", Self.isStringPrefix(source[start..<position]) {
                        string(prefixStart: start)
                    } else {
                        name(from: start)
                    }
                } else if scalar == "@", Self.atLineStart(source, start), peek(1).map(Self.isNameStart) == true {
                    position += 1
                    while let next = peek(), Self.isNameContinue(next) || next == "." { position += 1 }
                    emit(.decorator, from: start)
                } else {
                    position += 1
                    emit(.plain, from: start)
                }
            }
        }

        mutating func name(from start: Int) {
            var word = ""
            word.unicodeScalars.append(contentsOf: source[start..<position])
            let kind: Kind
            if lastKeyword == "def" || lastKeyword == "class" {
                kind = .definition
            } else if keywords.contains(word) {
                kind = .keyword
            } else if Self.isAssigned(source, after: position) {
                kind = .plain  // `context='…'` names a keyword argument, not the REPL's variable
            } else if api.contains(word) {
                kind = .api
            } else if builtins.contains(word) && !Self.isAttribute(source, start) {
                kind = .builtin
            } else {
                kind = .plain
            }
            lastKeyword = kind == .keyword ? word : nil
            emit(kind, from: start)
        }

        mutating func number() {
            if peek() == "0", let radix = peek(1), "xXoObB".unicodeScalars.contains(radix) {
                position += 2
                while let next = peek(), next.properties.isASCIIHexDigit || next == "_" { position += 1 }
                return
            }
            while let next = peek(), Self.isDigit(next) || next == "_" { position += 1 }
            if peek() == ".", peek(1).map({ Self.isDigit($0) || !Self.isNameStart($0) }) ?? true {
                position += 1
                while let next = peek(), Self.isDigit(next) || next == "_" { position += 1 }
            }
            if let e = peek(), e == "e" || e == "E" {
                let sign = peek(1) == "+" || peek(1) == "-" ? 1 : 0
                if let digit = peek(1 + sign), Self.isDigit(digit) {
                    position += 1 + sign
                    while let next = peek(), Self.isDigit(next) || next == "_" { position += 1 }
                }
            }
            if let j = peek(), j == "j" || j == "J" { position += 1 }
        }

        /// A string literal starting at `prefixStart` (its prefix, if any, already passed).
        mutating func string(prefixStart: Int) {
            var prefix = ""
            prefix.unicodeScalars.append(contentsOf: source[prefixStart..<position])
            let isFormat = prefix.lowercased().contains("f")
            guard let quote = peek() else { return }
            let triple = peek(1) == quote && peek(2) == quote
            position += triple ? 3 : 1
            var pieceStart = prefixStart
            while let scalar = peek() {
                if scalar == "\\" {
                    position = min(position + 2, source.count)
                    continue
                }
                if scalar == quote && (!triple || (peek(1) == quote && peek(2) == quote)) {
                    position += triple ? 3 : 1
                    emit(.string, from: pieceStart)
                    lastKeyword = nil
                    return
                }
                if scalar == "\n" && !triple { break }
                if isFormat && scalar == "{" {
                    if peek(1) == "{" {
                        position += 2
                        continue
                    }
                    emit(.string, from: pieceStart)
                    field(singleLine: !triple)
                    pieceStart = position
                    continue
                }
                position += 1
            }
            // Unterminated: the rest of the line (or of the text, for a triple quote) is the string.
            emit(.string, from: pieceStart)
            lastKeyword = nil
        }

        /// `{expression!r:spec}` inside an f-string: the braces as interpolation, the inside as code.
        mutating func field(singleLine: Bool) {
            let open = position
            position += 1
            emit(.interpolation, from: open)
            lastKeyword = nil
            scan(until: "}", singleLine: singleLine)
            if peek() == "}" {
                let close = position
                position += 1
                emit(.interpolation, from: close)
            }
        }

        static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }

        static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "_" || scalar.properties.isXIDStart
        }

        static func isNameContinue(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "_" || scalar.properties.isXIDContinue
        }

        static func isStringPrefix(_ name: ArraySlice<Unicode.Scalar>) -> Bool {
            var text = ""
            text.unicodeScalars.append(contentsOf: name)
            return ["r", "u", "f", "b", "br", "rb", "fr", "rf"].contains(text.lowercased())
        }

        /// A name followed by `=` (not `==`): an assignment target or a keyword argument.
        static func isAssigned(_ source: [Unicode.Scalar], after end: Int) -> Bool {
            var index = end
            while index < source.count, source[index] == " " { index += 1 }
            return index < source.count && source[index] == "=" && (index + 1 >= source.count || source[index + 1] != "=")
        }

        /// `x.len` is an attribute, not the builtin.
        static func isAttribute(_ source: [Unicode.Scalar], _ start: Int) -> Bool {
            start > 0 && source[start - 1] == "."
        }

        static func atLineStart(_ source: [Unicode.Scalar], _ start: Int) -> Bool {
            var index = start - 1
            while index >= 0, source[index] == " " || source[index] == "\t" { index -= 1 }
            return index < 0 || source[index] == "\n"
        }
    }
}
