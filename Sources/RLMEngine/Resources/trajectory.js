// The trajectory page's behaviour (TrajectoryPage.swift): long texts opened on demand, expand and
// collapse all, and a search over the page's text. Texts are only ever set with textContent.
(() => {
  'use strict';
  const main = document.getElementById('page');
  const store = document.getElementById('bodies');
  let bodies = null;
  const body = (n) => {
    if (!bodies) bodies = store ? JSON.parse(store.textContent) : [];
    return bodies[Number(n)] ?? '';
  };

  // Lines where rlmd cut a text; LazyBodies.isCut in Swift marks the same lines.
  const CUT = /^\.\.\. \[\d+ (?:chars cut|bytes of process output cut)[^\n]*\] \.\.\.$/;

  function fill(pre, text) {
    if (!text.includes('] ...')) { pre.textContent = text; return; }
    const fragment = document.createDocumentFragment();
    const lines = text.split('\n');
    let plain = '';
    lines.forEach((line, i) => {
      const end = i < lines.length - 1 ? '\n' : '';
      if (line.length < 200 && CUT.test(line)) {
        if (plain) { fragment.append(plain); plain = ''; }
        const span = document.createElement('span');
        span.className = 'cut';
        span.textContent = line;
        fragment.append(span);
        plain = end;
      } else {
        plain += line + end;
      }
    });
    if (plain) fragment.append(plain);
    pre.replaceChildren(fragment);
  }

  // Puts the whole text into its <pre> (once) and removes the "Show all" button.
  function open(n) {
    const pre = main.querySelector(`pre[data-body="${n}"]`);
    if (!pre || pre.dataset.full) return pre;
    fill(pre, body(n));
    pre.dataset.full = '1';
    const button = main.querySelector(`button.more[data-body="${n}"]`);
    if (button) button.remove();
    return pre;
  }

  main.addEventListener('click', (event) => {
    const button = event.target.closest('button.more');
    if (button) open(button.dataset.body);
  });
  document.getElementById('expand-all').addEventListener('click', () => {
    for (const details of main.querySelectorAll('details')) details.open = true;
  });
  document.getElementById('collapse-all').addEventListener('click', () => {
    for (const details of main.querySelectorAll('details')) details.open = false;
  });

  // --- Search ---
  const input = document.getElementById('find');
  const count = document.getElementById('find-count');
  const MAX_MATCHES = 5000;
  const BLOCKS = 'pre,p,li,h1,h2,h3,h4,h5,h6,summary,dt,dd,td,th,blockquote,.question,.error-box,.cite-head,.turn-head,.cell-head,.io-label';
  let matches = [];
  let current = -1;
  let searched = null;

  function clear() {
    const parents = new Set();
    for (const mark of main.querySelectorAll('mark.hit')) {
      parents.add(mark.parentNode);
      mark.replaceWith(...mark.childNodes);
    }
    for (const parent of parents) parent.normalize();
    for (const summary of main.querySelectorAll('summary.has-hit')) summary.classList.remove('has-hit');
    matches = [];
    current = -1;
  }

  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

  // Text nodes grouped by the block they belong to, so a match may span highlighted tokens.
  function segments() {
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => (node.parentElement.closest('script,style,svg') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    const found = [];
    let block = null, nodes = [], text = '';
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const owner = node.parentElement.closest(BLOCKS) || node.parentElement;
      if (owner !== block) {
        if (nodes.length) found.push({ nodes, text });
        block = owner; nodes = []; text = '';
      }
      nodes.push({ node, start: text.length });
      text += node.data;
    }
    if (nodes.length) found.push({ nodes, text });
    return found;
  }

  function wrap(segment, start, end) {
    let first = null;
    for (let i = segment.nodes.length - 1; i >= 0; i--) {
      const { node, start: from } = segment.nodes[i];
      const to = from + node.data.length;
      if (to <= start || from >= end) continue;
      const a = Math.max(start, from) - from, b = Math.min(end, to) - from;
      const middle = a > 0 ? node.splitText(a) : node;
      if (b - a < middle.data.length) middle.splitText(b - a);
      const mark = document.createElement('mark');
      mark.className = 'hit';
      middle.replaceWith(mark);
      mark.append(middle);
      first = mark;
    }
    return first;
  }

  function search(query) {
    clear();
    searched = query;
    if (query.length < 2) { count.textContent = ''; return; }
    const pattern = new RegExp(escapeRegExp(query), 'giu');
    // Long texts not yet opened are searched in the data block and opened when they match.
    for (const pre of main.querySelectorAll('pre[data-body]:not([data-full])')) {
      pattern.lastIndex = 0;
      if (pattern.test(body(pre.dataset.body))) open(pre.dataset.body);
    }
    const found = [];
    for (const segment of segments()) {
      pattern.lastIndex = 0;
      const spans = [];
      for (let m = pattern.exec(segment.text); m && found.length + spans.length < MAX_MATCHES; m = pattern.exec(segment.text)) {
        spans.push([m.index, m.index + m[0].length]);
      }
      // From the end, so splitting a node leaves the offsets of earlier matches in it valid.
      const marks = [];
      for (let i = spans.length - 1; i >= 0; i--) marks.push(wrap(segment, spans[i][0], spans[i][1]));
      found.push(...marks.reverse().filter(Boolean));
      if (found.length >= MAX_MATCHES) break;
    }
    matches = found;
    // Closed sections holding a match get a dot on their summary line.
    for (const mark of matches) {
      for (let closed = mark.closest('details:not([open])'); closed; closed = closed.parentElement.closest('details:not([open])')) {
        closed.querySelector(':scope > summary').classList.add('has-hit');
      }
    }
    if (matches.length) go(0); else count.textContent = 'no match';
  }

  function go(index) {
    if (!matches.length) return;
    if (current >= 0) matches[current].classList.remove('now');
    current = (index + matches.length) % matches.length;
    const mark = matches[current];
    for (let details = mark.closest('details'); details; details = details.parentElement.closest('details')) {
      details.open = true;
      details.querySelector(':scope > summary').classList.remove('has-hit');
    }
    mark.classList.add('now');
    mark.scrollIntoView({ block: 'center' });
    count.textContent = `${current + 1} / ${matches.length}${matches.length >= MAX_MATCHES ? '+' : ''}`;
  }

  let timer = 0;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => search(input.value), 180);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      clearTimeout(timer);
      if (searched !== input.value) search(input.value);
      else go(current + (event.shiftKey ? -1 : 1));
    } else if (event.key === 'Escape') {
      input.value = '';
      clear();
      searched = null;
      count.textContent = '';
    }
  });
  document.getElementById('find-next').addEventListener('click', () => go(current + 1));
  document.getElementById('find-prev').addEventListener('click', () => go(current - 1));
  document.addEventListener('keydown', (event) => {
    if (event.key === '/' && document.activeElement !== input && !event.target.closest('input,textarea')) {
      event.preventDefault();
      input.focus();
    }
  });

  // `page.html#find=words` opens the page with that search done (editors can link to a match).
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get('find')) {
    input.value = hash.get('find');
    const started = performance.now();
    search(input.value);
    document.documentElement.dataset.searchMs = (performance.now() - started).toFixed(1);
  }
  document.documentElement.dataset.scriptMs = performance.now().toFixed(1);
})();
