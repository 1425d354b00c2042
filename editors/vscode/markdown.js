// @ts-check
'use strict';
/**
 * Model-written Markdown as HTML for the answer panel. Every character of the text is escaped; the
 * only markup is what this file emits (paragraphs, headings, lists, code, bold, and citation links),
 * so nothing the model writes can become a tag, an attribute or a script.
 */

/**
 * For a mention `path:start` of a citation, a function from the escaped mention to its HTML; undefined
 * for text that cites nothing.
 * @typedef {(path: string, start: number) => ((label: string) => string) | undefined} Linker
 */

/** @param {string} text */
function escape(text) {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] || c);
}

/**
 * Turns `path:line` / `path:start-end` mentions of known citations into links (escaped text between them).
 * @param {string} text
 * @param {Linker} link
 */
function linkify(text, link) {
  // Paths in real repositories hold non-ASCII letters: match them too (the u flag).
  const pattern = /([\p{L}\p{N}\p{M}_./#@+-]+):(\d+)(?:-(\d+))?/gu;
  let html = '';
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const wrap = link(match[1], Number(match[2]));
    if (!wrap) continue;
    const index = /** @type {number} */ (match.index);
    html += escape(text.slice(last, index)) + wrap(escape(match[0]));
    last = index + match[0].length;
  }
  return html + escape(text.slice(last));
}

/** @param {string} text @param {Linker} link */
function inline(text, link) {
  // Code spans first, then bold, in the text between them.
  return text.split(/(`[^`\n]+`)/).map((part) => {
    if (/^`[^`\n]+`$/.test(part)) return `<code>${linkify(part.slice(1, -1), link)}</code>`;
    return part.split(/(\*\*[^*\n]+\*\*)/).map((piece) => (/^\*\*[^*\n]+\*\*$/.test(piece)
      ? `<strong>${linkify(piece.slice(2, -2), link)}</strong>` : linkify(piece, link))).join('');
  }).join('');
}

/**
 * @param {string} markdown
 * @param {Linker} [link]
 * @returns {string}
 */
function render(markdown, link = () => undefined) {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out = [];
  /** @type {string[]} */
  let paragraph = [];
  /** @type {'ul' | 'ol' | undefined} */
  let list;
  const flush = () => {
    if (paragraph.length) out.push(`<p>${paragraph.map((line) => inline(line, link)).join('<br>')}</p>`);
    paragraph = [];
    if (list) out.push(`</${list}>`);
    list = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^\s*(`{3,}|~{3,})\s*([\w+-]*)/.exec(line);
    if (fence) {
      flush();
      const code = [];
      for (i++; i < lines.length && !lines[i].trim().startsWith(fence[1]); i++) code.push(lines[i]);
      const language = fence[2] ? ` data-language="${escape(fence[2])}"` : '';
      out.push(`<pre><code${language}>${code.map((codeLine) => linkify(codeLine, link)).join('\n')}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      // Headings of the answer sit below the panel's own (h1: the question, h2: sections).
      const level = Math.min(heading[1].length + 2, 6);
      out.push(`<h${level}>${inline(heading[2], link)}</h${level}>`);
    } else if (bullet || numbered) {
      const kind = bullet ? 'ul' : 'ol';
      if (paragraph.length || list !== kind) flush();
      if (!list) out.push(`<${kind}>`);
      list = kind;
      out.push(`<li>${inline(/** @type {RegExpExecArray} */ (bullet || numbered)[1], link)}</li>`);
    } else if (!line.trim()) {
      flush();
    } else {
      if (list) flush();
      paragraph.push(line);
    }
  }
  flush();
  return out.join('\n');
}

module.exports = { render, escape };
