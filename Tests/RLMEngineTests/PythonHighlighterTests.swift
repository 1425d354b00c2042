@testable import RLMEngine
import Testing

/// The page's Python tokenizer, case by case (model code is often cut or invalid: it must never fail).
@Suite struct PythonHighlighterTests {
    typealias Kind = PythonHighlighter.Kind

    static func tokens(_ code: String) -> [String] {
        PythonHighlighter.tokens(code).map { $0.kind == .plain ? $0.text : "\($0.kind.rawValue):\($0.text)" }
    }

    @Test func keywordsBuiltinsTheREPLsAPIAndDefinitions() {
        #expect(Self.tokens("def find(x):\n    return len(grep(x)) if x else None") == [
            "k:def", " ", "f:find", "(x):\n    ", "k:return", " ", "b:len", "(", "a:grep", "(x)) ", "k:if", " x ", "k:else", " ", "k:None",
        ])
        #expect(Self.tokens("class A(Base): pass") == ["k:class", " ", "f:A", "(Base): ", "k:pass"])
        #expect(Self.tokens("obj.len + print") == ["obj.len + ", "b:print"])  // an attribute is not the builtin
        #expect(Self.tokens("rlm_query('q', context='text')") == ["a:rlm_query", "(", "s:'q'", ", context=", "s:'text'", ")"])
        #expect(Self.tokens("FINAL_VAR('answer')") == ["a:FINAL_VAR", "(", "s:'answer'", ")"])
        #expect(Self.tokens("@cache\ndef f(): ...") == ["d:@cache", "\n", "k:def", " ", "f:f", "(): ..."])
        #expect(Self.tokens("a @ b") == ["a @ b"])
        #expect(Self.tokens("naïve = 1") == ["naïve = ", "n:1"])
    }

    @Test func stringsOfEveryKind() {
        #expect(Self.tokens(#"x = "a\"b" + 'c'"#) == ["x = ", #"s:"a\"b""#, " + ", "s:'c'"])
        #expect(Self.tokens("r'\\d+' b\"raw\" Rb'x' u'y'") == ["s:r'\\d+'", " ", "s:b\"raw\"", " ", "s:Rb'x'", " ", "s:u'y'"])
        #expect(Self.tokens("'''one\n'two'\n''' + 1") == ["s:'''one\n'two'\n'''", " + ", "n:1"])
        #expect(Self.tokens("\"\"\"doc \"quoted\" \"\"\"") == ["s:\"\"\"doc \"quoted\" \"\"\""])
        #expect(Self.tokens("s = 'unterminated\nnext = 2") == ["s = ", "s:'unterminated", "\nnext = ", "n:2"])
        #expect(Self.tokens("'''never closed\nprint(1)") == ["s:'''never closed\nprint(1)"])
        #expect(Self.tokens("'# not a comment'  # a comment") == ["s:'# not a comment'", "  ", "c:# a comment"])
    }

    @Test func fStringFieldsAreCode() {
        #expect(Self.tokens("f'{path}:{len(x)!r:>4} {{literal}}'") == [
            "s:f'", "i:{", "path", "i:}", "s::", "i:{", "b:len", "(x)!r:>", "n:4", "i:}", "s: {{literal}}'",
        ])
        #expect(Self.tokens("f\"{d['k']}\"") == ["s:f\"", "i:{", "d[", "s:'k'", "]", "i:}", "s:\""])
        #expect(Self.tokens("F'''{x\n}'''") == ["s:F'''", "i:{", "x\n", "i:}", "s:'''"])
        // An unclosed field of a one-line f-string ends with its line, not with the rest of the cell
        // (the field's text and the next line are both plain, so they come as one run).
        #expect(Self.tokens("f'{x\ny = 1") == ["s:f'", "i:{", "x\ny = ", "n:1"])
        #expect(Self.tokens("f'{x\n'y'") == ["s:f'", "i:{", "x\n", "s:'y'"])
    }

    @Test func numbersAndComments() {
        #expect(Self.tokens("0x1F 0o17 0b1010 1_000 3.14 .5 1e-3 2j 10.") == [
            "n:0x1F", " ", "n:0o17", " ", "n:0b1010", " ", "n:1_000", " ", "n:3.14", " ", "n:.5", " ", "n:1e-3", " ", "n:2j", " ", "n:10.",
        ])
        #expect(Self.tokens("x1 = y2  # set\n") == ["x1 = y2  ", "c:# set", "\n"])
        #expect(Self.tokens("hits[:3]") == ["hits[:", "n:3", "]"])
    }

    @Test func theHTMLIsEscaped() {
        #expect(PythonHighlighter.html("print('<script>') & x < 1") ==
                "<span class=\"b\">print</span>(<span class=\"s\">&#39;&lt;script&gt;&#39;</span>) &amp; x &lt; <span class=\"n\">1</span>")
        #expect(PythonHighlighter.html("# </span><script>") == "<span class=\"c\"># &lt;/span&gt;&lt;script&gt;</span>")
        #expect(PythonHighlighter.html("") == "")
    }
}
