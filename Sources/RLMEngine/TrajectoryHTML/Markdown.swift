import Foundation

/// A small Markdown renderer for answers and model prose: headings, paragraphs, lists (nested,
/// ordered or not), block quotes, fenced and indented code (Python highlighted), tables, rules,
/// code spans, emphasis, strong, strike-through, and links and images shown as text.
///
/// It never emits markup from its input: every piece of text is escaped, no raw HTML passes,
/// links become text (no `href`), images become their alt text (no `src`). A trajectory is model
/// output, and the page must not run or load anything from it. Line breaks inside a paragraph are
/// kept, as in GitHub comments, since models lay text out line by line.
enum Markdown {
    static func html(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { expandLeadingTabs(String($0)) }
        return Blocks(lines: lines).render(tight: false)
    }

    private static func expandLeadingTabs(_ line: String) -> String {
        guard line.hasPrefix("\t") || line.hasPrefix(" \t") || line.hasPrefix("  \t") || line.hasPrefix("   \t") else { return line }
        var column = 0
        var rest = Substring(line)
        while let first = rest.first, first == " " || first == "\t" {
            column += first == "\t" ? 4 - column % 4 : 1
            rest = rest.dropFirst()
        }
        return String(repeating: " ", count: column) + rest
    }
}

// MARK: Blocks

private struct Blocks {
    let lines: [String]

    func render(tight: Bool) -> String {
        var out = ""
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if Line.isBlank(line) {
                index += 1
            } else if let fence = Line.fence(line) {
                index = code(fence: fence, from: index, into: &out)
            } else if let (level, text) = Line.heading(line) {
                let tag = "h\(min(6, level + 2))"
                out += "<\(tag)>\(Inline.render(text))</\(tag)>\n"
                index += 1
            } else if Line.isRule(line) {
                out += "<hr>\n"
                index += 1
            } else if Line.quoteContent(line) != nil {
                index = quote(from: index, into: &out)
            } else if Line.marker(line) != nil {
                index = list(from: index, into: &out)
            } else if Line.indentation(line) >= 4 {
                index = indentedCode(from: index, into: &out)
            } else if index + 1 < lines.count, line.contains("|"), let aligns = Line.tableDelimiter(lines[index + 1]) {
                index = table(from: index, aligns: aligns, into: &out)
            } else {
                index = paragraph(from: index, tight: tight, into: &out)
            }
        }
        return out
    }

    private func code(fence: Line.Fence, from start: Int, into out: inout String) -> Int {
        var index = start + 1
        var body: [Substring] = []
        while index < lines.count, !Line.closes(lines[index], fence) {
            body.append(Line.dropIndent(lines[index], upTo: fence.indent))
            index += 1
        }
        out += CodeBlock.html(body.joined(separator: "\n"), language: fence.language)
        return min(index + 1, lines.count)
    }

    private func indentedCode(from start: Int, into out: inout String) -> Int {
        var index = start
        var body: [Substring] = []
        while index < lines.count, Line.indentation(lines[index]) >= 4 || Line.isBlank(lines[index]) {
            body.append(Line.dropIndent(lines[index], upTo: 4))
            index += 1
        }
        while let last = body.last, last.allSatisfy({ $0 == " " }) { body.removeLast() }
        out += CodeBlock.html(body.joined(separator: "\n"), language: "")
        return index
    }

    private func quote(from start: Int, into out: inout String) -> Int {
        var index = start
        var inner: [String] = []
        while index < lines.count {
            if let content = Line.quoteContent(lines[index]) {
                inner.append(content)
            } else if !Line.isBlank(lines[index]), let last = inner.last, !Line.isBlank(last), !Line.startsBlock(lines[index]) {
                inner.append(lines[index])  // a lazy continuation of the quoted paragraph
            } else {
                break
            }
            index += 1
        }
        out += "<blockquote>\n\(Blocks(lines: inner).render(tight: false))</blockquote>\n"
        return index
    }

    private func list(from start: Int, into out: inout String) -> Int {
        guard let first = Line.marker(lines[start]) else { return start + 1 }
        var items: [[String]] = [[first.content]]
        var column = first.contentColumn
        var loose = false
        var index = start + 1
        while index < lines.count {
            let line = lines[index]
            if Line.isBlank(line) {
                var next = index + 1
                while next < lines.count, Line.isBlank(lines[next]) { next += 1 }
                guard next < lines.count else { break }
                if Line.indentation(lines[next]) >= column {
                    items[items.count - 1].append("")
                    loose = true
                    index += 1
                    continue
                }
                if let marker = Line.marker(lines[next]), marker.ordered == first.ordered {
                    loose = true
                    index = next
                    continue
                }
                break
            }
            if Line.indentation(line) >= column {
                items[items.count - 1].append(String(Line.dropIndent(line, upTo: column)))
            } else if let marker = Line.marker(line) {
                guard marker.ordered == first.ordered else { break }
                items.append([marker.content])
                column = marker.contentColumn
            } else if !Line.startsBlock(line), let last = items.last?.last, !Line.isBlank(last) {
                items[items.count - 1].append(line.trimmingLeadingSpaces())  // lazy continuation
            } else {
                break
            }
            index += 1
        }
        let open = first.ordered ? (first.start == 1 ? "<ol>" : "<ol start=\"\(first.start)\">") : "<ul>"
        out += open + "\n"
        for item in items {
            let body = Blocks(lines: item).render(tight: !loose)
            out += "<li>\(body.hasSuffix("\n") ? String(body.dropLast()) : body)</li>\n"
        }
        out += first.ordered ? "</ol>\n" : "</ul>\n"
        return index
    }

    private func table(from start: Int, aligns: [String], into out: inout String) -> Int {
        func row(_ line: String, cell: String) -> String {
            let cells = Line.tableCells(line)
            return "<tr>" + aligns.indices.map { column in
                let alignment = aligns[column].isEmpty ? "" : " class=\"\(aligns[column])\""
                return "<\(cell)\(alignment)>\(Inline.render(column < cells.count ? cells[column] : ""))</\(cell)>"
            }.joined() + "</tr>\n"
        }
        out += "<div class=\"table\"><table>\n<thead>\(row(lines[start], cell: "th"))</thead>\n<tbody>\n"
        var index = start + 2
        while index < lines.count, !Line.isBlank(lines[index]), lines[index].contains("|") {
            out += row(lines[index], cell: "td")
            index += 1
        }
        out += "</tbody></table></div>\n"
        return index
    }

    private func paragraph(from start: Int, tight: Bool, into out: inout String) -> Int {
        var index = start
        var text: [String] = []
        while index < lines.count, !Line.isBlank(lines[index]), index == start || !Line.interruptsParagraph(lines[index]) {
            text.append(lines[index].trimmingLeadingSpaces())
            index += 1
        }
        let inline = Inline.render(text.joined(separator: "\n"))
        out += tight ? inline + "\n" : "<p>\(inline)</p>\n"
        return index
    }
}

/// A code block: Python (and the REPL's own fences) highlighted, anything else escaped.
enum CodeBlock {
    static func html(_ code: String, language: String) -> String {
        let name = language.lowercased()
        let body = CodeBlocks.languages.contains(name) ? PythonHighlighter.html(code) : HTML.escape(code)
        let label = name.isEmpty ? "" : " data-lang=\"\(HTML.escape(String(name.prefix(20))))\""
        return "<pre class=\"code\"\(label)><code>\(body)</code></pre>\n"
    }
}

// MARK: Line classification

private enum Line {
    struct Fence {
        var character: Character
        var length: Int
        var indent: Int
        var language: String
    }

    struct Marker {
        var ordered: Bool
        var start: Int
        var contentColumn: Int
        var content: String
    }

    static func isBlank(_ line: String) -> Bool { line.allSatisfy { $0 == " " || $0 == "\t" } }

    static func indentation(_ line: String) -> Int { line.prefix { $0 == " " }.count }

    static func dropIndent(_ line: String, upTo count: Int) -> Substring {
        line.dropFirst(min(count, indentation(line)))
    }

    static func fence(_ line: String) -> Fence? {
        let indent = indentation(line)
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        guard let character = rest.first, character == "`" || character == "~" else { return nil }
        let length = rest.prefix { $0 == character }.count
        guard length >= 3 else { return nil }
        let info = rest.dropFirst(length).trimmingCharacters(in: .whitespaces)
        if character == "`" && info.contains("`") { return nil }
        return Fence(character: character, length: length, indent: indent, language: String(info.split(separator: " ").first ?? ""))
    }

    static func closes(_ line: String, _ fence: Fence) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return indentation(line) <= 3 && trimmed.count >= fence.length && trimmed.allSatisfy { $0 == fence.character }
    }

    static func heading(_ line: String) -> (Int, String)? {
        let indent = indentation(line)
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        let level = rest.prefix { $0 == "#" }.count
        guard (1...6).contains(level) else { return nil }
        let after = rest.dropFirst(level)
        guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
        var text = after.trimmingCharacters(in: .whitespaces)
        // A closing sequence of #s (after a space) is not part of the heading.
        if let hashes = text.lastIndex(where: { $0 != "#" }).map({ text.index(after: $0) }), hashes < text.endIndex,
           text[text.index(before: hashes)] == " " {
            text = String(text[..<hashes]).trimmingCharacters(in: .whitespaces)
        } else if text.allSatisfy({ $0 == "#" }) {
            text = ""
        }
        return (level, text)
    }

    static func isRule(_ line: String) -> Bool {
        guard indentation(line) <= 3 else { return false }
        let marks = line.filter { $0 != " " && $0 != "\t" }
        guard let first = marks.first, first == "-" || first == "*" || first == "_" else { return false }
        return marks.count >= 3 && marks.allSatisfy { $0 == first }
    }

    static func quoteContent(_ line: String) -> String? {
        let indent = indentation(line)
        guard indent <= 3, line.dropFirst(indent).first == ">" else { return nil }
        var rest = line.dropFirst(indent + 1)
        if rest.first == " " { rest = rest.dropFirst() }
        return String(rest)
    }

    static func marker(_ line: String) -> Marker? {
        let indent = indentation(line)
        let rest = line.dropFirst(indent)
        guard let first = rest.first else { return nil }
        var ordered = false, start = 1, markerLength = 1
        if first == "-" || first == "*" || first == "+" {
            if isRule(line) { return nil }
        } else {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard (1...9).contains(digits.count), let number = Int(digits) else { return nil }
            let after = rest.dropFirst(digits.count).first
            guard after == "." || after == ")" else { return nil }
            ordered = true
            start = number
            markerLength = digits.count + 1
        }
        let afterMarker = rest.dropFirst(markerLength)
        guard afterMarker.isEmpty || afterMarker.first == " " else { return nil }
        let spaces = min(max(afterMarker.prefix { $0 == " " }.count, 1), 4)
        return Marker(ordered: ordered, start: start, contentColumn: indent + markerLength + spaces,
                      content: String(afterMarker.dropFirst(spaces)))
    }

    /// `| --- | :-: |` → the cells' alignment classes ("", "al-l", "al-c", "al-r").
    static func tableDelimiter(_ line: String) -> [String]? {
        guard line.contains("-") else { return nil }
        let cells = tableCells(line)
        guard !cells.isEmpty else { return nil }
        var aligns: [String] = []
        for cell in cells {
            let text = cell.trimmingCharacters(in: .whitespaces)
            let core = text.trimmingCharacters(in: CharacterSet(charactersIn: ":"))
            guard !core.isEmpty, core.allSatisfy({ $0 == "-" }) else { return nil }
            let left = text.hasPrefix(":"), right = text.hasSuffix(":")
            aligns.append(left && right ? "al-c" : right ? "al-r" : left ? "al-l" : "")
        }
        return aligns
    }

    static func tableCells(_ line: String) -> [String] {
        var text = line.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("|") { text.removeFirst() }
        if text.hasSuffix("|") && !text.hasSuffix("\\|") { text.removeLast() }
        var cells: [String] = [], current = "", escaped = false
        for character in text {
            if character == "|" && !escaped {
                cells.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
            escaped = character == "\\" && !escaped
        }
        cells.append(current.trimmingCharacters(in: .whitespaces))
        return cells
    }

    static func startsBlock(_ line: String) -> Bool {
        fence(line) != nil || heading(line) != nil || isRule(line) || quoteContent(line) != nil || marker(line) != nil
    }

    /// What ends a paragraph without a blank line (an ordered list must start at 1 to do so).
    static func interruptsParagraph(_ line: String) -> Bool {
        if let marker = marker(line) { return !marker.ordered || marker.start == 1 }
        return fence(line) != nil || heading(line) != nil || isRule(line) || quoteContent(line) != nil
    }
}

private extension String {
    func trimmingLeadingSpaces() -> String { String(drop { $0 == " " }) }
}
