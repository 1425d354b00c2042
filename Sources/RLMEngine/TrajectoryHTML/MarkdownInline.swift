import Foundation

/// Markdown inside a block: code spans, `*em*`/`_em_`, `**strong**`/`__strong__`, `~~strike~~`,
/// backslash escapes, links `[text](url)` as the text and the address in plain type, images as
/// their alt text. Line breaks become `<br>`. Everything else is escaped text.
enum Inline {
    static func render(_ text: String) -> String {
        let characters = Array(text)
        return Renderer(characters: characters).render(0, characters.count)
    }

    private struct Renderer {
        let characters: [Character]

        func render(_ from: Int, _ to: Int) -> String {
            var out = ""
            var plain = ""
            func flush() {
                out += HTML.escape(plain)
                plain = ""
            }
            var index = from
            while index < to {
                let character = characters[index]
                switch character {
                case "\\" where index + 1 < to && characters[index + 1] == "\n":
                    flush()
                    out += "<br>\n"
                    index += 2
                case "\\" where index + 1 < to && Self.isPunctuation(characters[index + 1]):
                    plain.append(characters[index + 1])
                    index += 2
                case "\n":
                    while plain.hasSuffix(" ") { plain.removeLast() }
                    flush()
                    out += "<br>\n"
                    index += 1
                case "`":
                    let run = runLength(at: index, to)
                    if let close = closingBackticks(from: index + run, length: run, to) {
                        flush()
                        out += "<code>\(HTML.escape(codeSpan(index + run, close)))</code>"
                        index = close + run
                    } else {
                        plain += String(repeating: "`", count: run)
                        index += run
                    }
                case "!" where index + 1 < to && characters[index + 1] == "[":
                    if let link = link(at: index + 1, to) {
                        flush()
                        out += "<span class=\"link\">[image: \(render(link.label.lowerBound, link.label.upperBound))]</span>"
                            + address(link.address, label: link.label)
                        index = link.end
                    } else {
                        plain.append(character)
                        index += 1
                    }
                case "[":
                    if let link = link(at: index, to) {
                        flush()
                        out += "<span class=\"link\">\(render(link.label.lowerBound, link.label.upperBound))</span>"
                            + address(link.address, label: link.label)
                        index = link.end
                    } else {
                        plain.append(character)
                        index += 1
                    }
                case "*", "_", "~":
                    if let (html, end) = emphasis(at: index, to) {
                        flush()
                        out += html
                        index = end
                    } else {
                        let run = runLength(at: index, to)
                        plain += String(repeating: character, count: run)
                        index += run
                    }
                default:
                    plain.append(character)
                    index += 1
                }
            }
            flush()
            return out
        }

        func runLength(at index: Int, _ to: Int) -> Int {
            var end = index
            while end < to, characters[end] == characters[index] { end += 1 }
            return end - index
        }

        /// The start of the next run of exactly `length` backticks.
        func closingBackticks(from start: Int, length: Int, _ to: Int) -> Int? {
            var index = start
            while index < to {
                guard characters[index] == "`" else {
                    index += 1
                    continue
                }
                let run = runLength(at: index, to)
                if run == length { return index }
                index += run
            }
            return nil
        }

        /// A code span's text: newlines as spaces, one space stripped from each end when both have one.
        func codeSpan(_ from: Int, _ to: Int) -> String {
            var text = String(characters[from..<to]).replacingOccurrences(of: "\n", with: " ")
            if text.count >= 2, text.hasPrefix(" "), text.hasSuffix(" "), text.contains(where: { $0 != " " }) {
                text = String(text.dropFirst().dropLast())
            }
            return text
        }

        /// `[label](address)` starting at `index`: the label's range, the address and the end.
        func link(at index: Int, _ to: Int) -> (label: Range<Int>, address: String, end: Int)? {
            var depth = 0
            var close = index
            while close < to {
                switch characters[close] {
                case "[": depth += 1
                case "]": depth -= 1
                case "`":
                    let run = runLength(at: close, to)
                    close = (closingBackticks(from: close + run, length: run, to).map { $0 + run } ?? close + run) - 1
                case "\\": close += 1
                default: break
                }
                if depth == 0 { break }
                close += 1
            }
            guard close + 1 < to, characters[close] == "]", characters[close + 1] == "(" else { return nil }
            var end = close + 2
            var parentheses = 1
            while end < to {
                if characters[end] == "(" { parentheses += 1 }
                if characters[end] == ")" { parentheses -= 1 }
                if parentheses == 0 || characters[end] == "\n" { break }
                end += 1
            }
            guard end < to, characters[end] == ")" else { return nil }
            var address = String(characters[(close + 2)..<end]).trimmingCharacters(in: .whitespaces)
            if address.hasPrefix("<") && address.hasSuffix(">") { address = String(address.dropFirst().dropLast()) }
            return (index + 1..<close, address, end + 1)
        }

        func address(_ address: String, label: Range<Int>) -> String {
            guard !address.isEmpty, String(characters[label]) != address else { return "" }
            return " <span class=\"url\">(\(HTML.escape(address)))</span>"
        }

        /// `***x***`, `**x**`, `*x*` (and with `_`), `~~x~~`: the rendered span and the index after it.
        func emphasis(at index: Int, _ to: Int) -> (String, Int)? {
            let mark = characters[index]
            let run = runLength(at: index, to)
            if mark == "~" {
                guard run == 2, let close = closing(mark, length: 2, from: index + 2, to) else { return nil }
                return ("<del>\(render(index + 2, close))</del>", close + 2)
            }
            guard canOpen(mark, at: index, run: run, to) else { return nil }
            for length in stride(from: min(run, 3), through: 1, by: -1) {
                guard let close = closing(mark, length: length, from: index + length, to), close > index + length else { continue }
                let inner = render(index + length, close)
                let tags = length == 3 ? ("<strong><em>", "</em></strong>") : length == 2 ? ("<strong>", "</strong>") : ("<em>", "</em>")
                let leftover = String(repeating: mark, count: run - length)
                return (HTML.escape(leftover) + tags.0 + inner + tags.1, close + length)
            }
            return nil
        }

        func canOpen(_ mark: Character, at index: Int, run: Int, _ to: Int) -> Bool {
            guard index + run < to, !characters[index + run].isWhitespace else { return false }
            // snake_case names are not emphasis: `_` opens only after a non-word character.
            if mark == "_", index > 0, characters[index - 1].isLetter || characters[index - 1].isNumber { return false }
            return true
        }

        /// The start of a closing run of `mark` (at least `length` long, of which the first `length` close).
        func closing(_ mark: Character, length: Int, from start: Int, _ to: Int) -> Int? {
            var index = start
            while index < to {
                let character = characters[index]
                if character == "`" {
                    let run = runLength(at: index, to)
                    index = closingBackticks(from: index + run, length: run, to).map { $0 + run } ?? index + run
                    continue
                }
                if character == "\\" {
                    index += 2
                    continue
                }
                if character == mark {
                    let run = runLength(at: index, to)
                    let after = index + run
                    let closesHere = run == length && index > start && !characters[index - 1].isWhitespace
                        && (mark != "_" || after >= to || !(characters[after].isLetter || characters[after].isNumber))
                    if closesHere { return index }
                    index += run
                    continue
                }
                index += 1
            }
            return nil
        }

        static func isPunctuation(_ character: Character) -> Bool {
            guard let ascii = character.asciiValue else { return false }
            return (33...47).contains(ascii) || (58...64).contains(ascii) || (91...96).contains(ascii) || (123...126).contains(ascii)
        }
    }
}
