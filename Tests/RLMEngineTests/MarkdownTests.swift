@testable import RLMEngine
import Testing

/// The page's Markdown renderer, case by case. Model text is untrusted: nothing in it may become
/// markup, a link target or an image source.
@Suite struct MarkdownTests {
    @Test(arguments: [
        ("Hello *world* and **bold** and ***both***.", "<p>Hello <em>world</em> and <strong>bold</strong> and <strong><em>both</em></strong>.</p>\n"),
        ("__strong__ _em_ ~~gone~~", "<p><strong>strong</strong> <em>em</em> <del>gone</del></p>\n"),
        ("call llm_query_batched and snake_case_names", "<p>call llm_query_batched and snake_case_names</p>\n"),
        ("2 * 3 * 4 and a * alone", "<p>2 * 3 * 4 and a * alone</p>\n"),
        ("*a **b** c*", "<p><em>a <strong>b</strong> c</em></p>\n"),
        ("Use `grep('x')` or ``a ` tick``.", "<p>Use <code>grep(&#39;x&#39;)</code> or <code>a ` tick</code>.</p>\n"),
        ("`*not emphasis*` and \\*escaped\\*", "<p><code>*not emphasis*</code> and *escaped*</p>\n"),
        ("an `unclosed code span", "<p>an `unclosed code span</p>\n"),
        ("line one\nline two", "<p>line one<br>\nline two</p>\n"),
    ])
    func inline(source: String, expected: String) {
        #expect(Markdown.html(source) == expected)
    }

    @Test func linksAndImagesAreText() {
        #expect(Markdown.html("See [the docs](https://example.com/a?b=1&c=2).")
                == "<p>See <span class=\"link\">the docs</span> <span class=\"url\">(https://example.com/a?b=1&amp;c=2)</span>.</p>\n")
        #expect(Markdown.html("[https://x.org](https://x.org)") == "<p><span class=\"link\">https://x.org</span></p>\n")
        #expect(Markdown.html("![a cat](cat.png)") == "<p><span class=\"link\">[image: a cat]</span> <span class=\"url\">(cat.png)</span></p>\n")
        #expect(Markdown.html("[javascript](javascript:alert(1))")
                == "<p><span class=\"link\">javascript</span> <span class=\"url\">(javascript:alert(1))</span></p>\n")
        #expect(Markdown.html("[not a link] (x) and [unclosed(") == "<p>[not a link] (x) and [unclosed(</p>\n")
        #expect(!Markdown.html("<a href=\"https://evil\">x</a> <img src=x onerror=alert(1)>").contains("<a"))
    }

    @Test func everythingIsEscaped() {
        let hostile = "<script>alert('x')</script> & \"quotes\""
        let escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"
        #expect(Markdown.html(hostile) == "<p>\(escaped)</p>\n")
        #expect(Markdown.html("# \(hostile)") == "<h3>\(escaped)</h3>\n")
        #expect(Markdown.html("- \(hostile)") == "<ul>\n<li>\(escaped)</li>\n</ul>\n")
        #expect(Markdown.html("```\n\(hostile)\n```") == "<pre class=\"code\"><code>\(escaped)</code></pre>\n")
        #expect(Markdown.html("`\(hostile)`") == "<p><code>\(escaped)</code></p>\n")
        #expect(Markdown.html("```\"><script>\nx\n```").hasPrefix("<pre class=\"code\" data-lang=\"&quot;&gt;&lt;script&gt;\">"))
        #expect(Markdown.html("| a | b |\n|---|---|\n| \(hostile) | x |").contains("<td>\(escaped)</td>"))
        #expect(Markdown.html("> \(hostile)") == "<blockquote>\n<p>\(escaped)</p>\n</blockquote>\n")
    }

    @Test func headingsRulesAndQuotes() {
        #expect(Markdown.html("# One\n## Two ##\n###### Six\n####### seven") ==
                "<h3>One</h3>\n<h4>Two</h4>\n<h6>Six</h6>\n<p>####### seven</p>\n")
        #expect(Markdown.html("#hashtag") == "<p>#hashtag</p>\n")
        #expect(Markdown.html("above\n\n---\n\n* * *") == "<p>above</p>\n<hr>\n<hr>\n")
        #expect(Markdown.html("> quoted\nlazy line\n\nafter") == "<blockquote>\n<p>quoted<br>\nlazy line</p>\n</blockquote>\n<p>after</p>\n")
    }

    @Test func lists() {
        #expect(Markdown.html("- one\n- two\n  - nested\n- three") ==
                "<ul>\n<li>one</li>\n<li>two\n<ul>\n<li>nested</li>\n</ul></li>\n<li>three</li>\n</ul>\n")
        #expect(Markdown.html("3. three\n4. four") == "<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n")
        #expect(Markdown.html("1) a\n\n2) b") == "<ol>\n<li><p>a</p></li>\n<li><p>b</p></li>\n</ol>\n")
        #expect(Markdown.html("- item\ncontinued\n\npara") == "<ul>\n<li>item<br>\ncontinued</li>\n</ul>\n<p>para</p>\n")
        #expect(Markdown.html("- a\n1. b") == "<ul>\n<li>a</li>\n</ul>\n<ol>\n<li>b</li>\n</ol>\n")
        #expect(Markdown.html("text\n- interrupts") == "<p>text</p>\n<ul>\n<li>interrupts</li>\n</ul>\n")
        #expect(Markdown.html("In 2024\n1999. was a year") == "<p>In 2024<br>\n1999. was a year</p>\n")
    }

    @Test func codeBlocks() {
        #expect(Markdown.html("```python\nx = 1  # one\n```") ==
                "<pre class=\"code\" data-lang=\"python\"><code>x = <span class=\"n\">1</span>  <span class=\"c\"># one</span></code></pre>\n")
        #expect(Markdown.html("~~~\nno close") == "<pre class=\"code\"><code>no close</code></pre>\n")
        #expect(Markdown.html("````\n```\ninside\n```\n````") == "<pre class=\"code\"><code>```\ninside\n```</code></pre>\n")
        #expect(Markdown.html("para\n\n    indented\n    code\n\nafter") ==
                "<p>para</p>\n<pre class=\"code\"><code>indented\ncode</code></pre>\n<p>after</p>\n")
        #expect(Markdown.html("  ```\n  a\n    b\n  ```") == "<pre class=\"code\"><code>a\n  b</code></pre>\n")
    }

    /// As in GitHub's tables, a `|` splits cells even inside a code span unless escaped.
    @Test func tables() {
        #expect(Markdown.html("| name | n |\n|:--|--:|\n| `a|b` | 1 |\n| c \\| d | 2 |") == """
            <div class="table"><table>
            <thead><tr><th class="al-l">name</th><th class="al-r">n</th></tr>
            </thead>
            <tbody>
            <tr><td class="al-l">`a</td><td class="al-r">b`</td></tr>
            <tr><td class="al-l">c | d</td><td class="al-r">2</td></tr>
            </tbody></table></div>

            """)
    }
}
