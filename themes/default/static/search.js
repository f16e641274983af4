// Client-side search of one language's chunked index (see src/search/ in shafaf).
// The folding and stemming rules come from the index manifest, written by the same
// Rust code that built the index: Arabic letter variants, diacritics and tatweel and
// French accents fold alike, and singular/plural and article/no article meet. French
// and English words are stemmed by the Snowball stemmers, whose generated JavaScript
// (snowball-french.js, snowball-english.js: the algorithms rust-stemmers runs for the
// index) the search page loads before this script.
// A query downloads the manifest, the shards of its terms, the facet table and the
// fragments of the results it shows; the .bin files are gzip-compressed JSON.
(function () {
  "use strict";

  // ------------------------------------------------------------ text rules (shared)

  // The Snowball stemmer the rules name, from the constructors its script defines
  // (`stemmers` replaces them in tests). A missing one fails loudly: without it the
  // query would look up unstemmed words and find nothing.
  function snowball(name, stemmers) {
    var known = stemmers || {
      french: typeof FrenchStemmer === "function" ? FrenchStemmer : null,
      english: typeof EnglishStemmer === "function" ? EnglishStemmer : null,
    };
    var Algorithm = known[name];
    if (!Algorithm) throw new Error("search: the Snowball stemmer '" + name + "' is not loaded");
    var instance = new Algorithm();
    return function (word) { return instance.stemWord(word); };
  }

  function analyzer(rules, stemmers) {
    var table = rules.fold;
    var stop = new Set(rules.stop);
    var stages = rules.stages;
    var snowballStem = rules.snowball ? snowball(rules.snowball, stemmers) : null;
    var length = function (s) { return Array.from(s).length; };
    function fold(text) {
      var out = "";
      for (var c of text || "") {
        var to = table[c];
        out += to !== undefined ? to : c.toLowerCase();
      }
      return out;
    }
    function tokens(folded) {
      return folded.split(/[^\p{Alphabetic}\p{N}]+/u).filter(function (t) { return t.length > 0; });
    }
    function stem(token) {
      if (length(token) < 2 || stop.has(token)) return null;
      var word = token;
      for (var s = 0; s < stages.length; s++) {
        var stage = stages[s];
        for (;;) {
          var len = length(word);
          var stripped = false;
          for (var r = 0; r < stage.rules.length; r++) {
            var affix = stage.rules[r][0], replacement = stage.rules[r][1], min = stage.rules[r][2];
            var matches = stage.prefix ? word.startsWith(affix) : word.endsWith(affix);
            if (matches && len - length(affix) + length(replacement) >= min) {
              word = stage.prefix ? replacement + word.slice(affix.length) : word.slice(0, word.length - affix.length) + replacement;
              stripped = true;
              break;
            }
          }
          if (!stripped || !stage.repeat) break;
        }
      }
      return snowballStem ? snowballStem(word) : word;
    }
    function terms(text) {
      return tokens(fold(text)).map(stem).filter(function (t) { return t !== null; });
    }
    return { fold: fold, tokens: tokens, stem: stem, terms: terms };
  }

  // A query: every term is required; "quoted phrases" also need their words in a row.
  function parseQuery(an, query) {
    var phrases = [];
    var rest = query.replace(/"([^"]*)"|«([^»]*)»|“([^”]*)”/g, function (_, a, b, c) {
      phrases.push(an.terms(a || b || c || ""));
      return " ";
    });
    var terms = an.terms(rest);
    var pairs = [];
    phrases.forEach(function (p) {
      terms = terms.concat(p);
      for (var i = 0; i + 1 < p.length; i++) pairs.push(p[i] + " " + p[i + 1]);
    });
    var unique = function (xs) { return xs.filter(function (x, i) { return xs.indexOf(x) === i; }); };
    return { terms: unique(terms), pairs: unique(pairs) };
  }

  // A query against an index that also holds texts in other languages (untranslated
  // ones, indexed with their own language's rules: the manifest's `other_rules`): each
  // term becomes the list of its stems under every set of rules, the index language's
  // first, and a document matches a term when it holds any of them. A word the index
  // language drops (a stop word) stays dropped.
  function parseQueryAll(ans, query) {
    var own = parseQuery(ans[0], query);
    if (ans.length === 1) return { terms: own.terms.map(function (t) { return [t]; }), pairs: own.pairs };
    var groups = [];
    ans[0].tokens(ans[0].fold(query)).forEach(function (word) {
      var mine = ans[0].stem(word);
      if (mine === null || groups.some(function (g) { return g[0] === mine; })) return;
      var stems = [mine];
      for (var i = 1; i < ans.length; i++) {
        var other = ans[i].stem(word);
        if (other !== null && stems.indexOf(other) < 0) stems.push(other);
      }
      groups.push(stems);
    });
    return { terms: groups, pairs: own.pairs };
  }

  var core = { analyzer: analyzer, parseQuery: parseQuery, parseQueryAll: parseQueryAll };
  if (typeof document === "undefined") {
    if (typeof module !== "undefined") module.exports = core;
    return;
  }

  // ------------------------------------------------------------ the page

  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var facetBox = document.getElementById("search-facets");
  var moreButton = document.getElementById("search-more");
  var manifestUrl = new URL(form.getAttribute("data-index"), window.location.href);
  var PAGE = 20;

  var manifestPromise = null;
  var files = new Map();
  var state = { an: null, manifest: null, table: null, hits: [], shown: 0, terms: [], selected: {}, run: 0 };

  function inflateJson(response) {
    if (!response.ok) throw new Error(response.url + ": HTTP " + response.status);
    return response.arrayBuffer().then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      // A zlib stream starts with 0x78; JSON that a server already inflated, with { or [.
      if (bytes[0] !== 0x78) return JSON.parse(new TextDecoder().decode(bytes));
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
      return new Response(stream).text().then(JSON.parse);
    });
  }

  function manifest() {
    if (!manifestPromise) {
      manifestPromise = fetch(manifestUrl).then(function (r) { return r.json(); }).then(function (m) {
        state.manifest = m;
        state.an = analyzer(m.rules);
        // The Snowball scripts of the other languages' rules, loaded now (same origin).
        var others = Object.keys(m.other_rules || {}).sort().map(function (l) { return m.other_rules[l]; });
        return Promise.all(others.map(loadScript)).then(function () {
          state.ans = [state.an].concat(others.map(function (r) { return analyzer(r); }));
          return m;
        });
      });
    }
    return manifestPromise;
  }

  function loadScript(rules) {
    if (!rules.script || document.querySelector('script[src="' + rules.script + '"]')) return Promise.resolve();
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = rules.script;
      el.onload = resolve;
      el.onerror = function () { reject(new Error("search: cannot load " + rules.script)); };
      document.head.appendChild(el);
    });
  }

  function file(path) {
    if (!files.has(path)) {
      var url = new URL(path + "?v=" + state.manifest.version, manifestUrl);
      files.set(path, fetch(url).then(inflateJson));
    }
    return files.get(path);
  }

  // The shard that holds `key`: the last whose first key is not after it.
  function shardOf(firsts, key) {
    var lo = 0, hi = firsts.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (firsts[mid] <= key) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  function postings(kind, key) {
    var firsts = kind === "t" ? state.manifest.terms : state.manifest.pairs;
    var shard = shardOf(firsts, key);
    if (shard < 0) return Promise.resolve([]);
    return file(kind + "/" + shard + ".bin").then(function (map) {
      var raw = map[key] || [];
      var step = kind === "t" ? 2 : 1;
      var out = [];
      var doc = 0;
      for (var i = 0; i < raw.length; i += step) {
        doc += raw[i];
        out.push([doc, step === 2 ? raw[i + 1] : 0]);
      }
      return out;
    });
  }

  function docsTable() {
    if (state.table) return Promise.resolve(state.table);
    return file("docs.bin").then(function (raw) {
      var n = state.manifest.docs;
      var starts = [];
      var at = 0;
      raw.groups.forEach(function (size) { starts.push(at); at += size; });
      var facets = {};
      Object.keys(raw.facets).forEach(function (key) {
        var values = new Uint16Array(n);
        var runs = raw.facets[key];
        var i = 0;
        for (var r = 0; r < runs.length; r += 2) {
          values.fill(runs[r], i, i + runs[r + 1]);
          i += runs[r + 1];
        }
        facets[key] = values;
      });
      state.table = { starts: starts, facets: facets };
      return state.table;
    });
  }

  // The postings of any of a term's stems: each document once, with its best weight.
  function union(lists) {
    if (lists.length === 1) return lists[0];
    var best = new Map();
    lists.forEach(function (l) {
      l.forEach(function (p) {
        var had = best.get(p[0]);
        if (had === undefined || p[1] > had) best.set(p[0], p[1]);
      });
    });
    return Array.from(best.entries()).sort(function (a, b) { return a[0] - b[0]; });
  }

  // Documents in every list, with their score: title matches, then frequency.
  function intersect(termLists, pairLists) {
    var lists = termLists.concat(pairLists);
    if (lists.some(function (l) { return l.length === 0; })) return [];
    var byDoc = new Map();
    termLists[0].forEach(function (p) { byDoc.set(p[0], { doc: p[0], title: p[1] & 1, freq: p[1] >> 1 }); });
    for (var i = 1; i < lists.length; i++) {
      var next = new Map();
      var isTerm = i < termLists.length;
      lists[i].forEach(function (p) {
        var hit = byDoc.get(p[0]);
        if (!hit) return;
        if (isTerm) { hit.title += p[1] & 1; hit.freq += p[1] >> 1; }
        next.set(p[0], hit);
      });
      byDoc = next;
    }
    return Array.from(byDoc.values()).sort(function (a, b) { return b.title - a.title || b.freq - a.freq || a.doc - b.doc; });
  }

  // ------------------------------------------------------------ facets and the URL

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var selected = {};
    params.forEach(function (value, key) {
      if (key === "q") return;
      (selected[key] = selected[key] || []).push(value);
    });
    return { q: params.get("q") || "", selected: selected };
  }

  function writeUrl() {
    var params = new URLSearchParams();
    if (input.value) params.set("q", input.value);
    state.manifest.facets.forEach(function (f) {
      (state.selected[f.key] || []).forEach(function (v) { params.append(f.key, v); });
    });
    var search = params.toString();
    history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
  }

  function valueIndex(facet, id) {
    for (var i = 0; i < facet.values.length; i++) if (facet.values[i][0] === id) return i + 1;
    return -1;
  }

  function passes(doc, except) {
    var facets = state.manifest.facets;
    for (var f = 0; f < facets.length; f++) {
      var key = facets[f].key;
      if (key === except) continue;
      var chosen = state.selected[key];
      if (!chosen || chosen.length === 0) continue;
      var value = state.table.facets[key][doc];
      var ok = false;
      for (var c = 0; c < chosen.length; c++) if (valueIndex(facets[f], chosen[c]) === value) ok = true;
      if (!ok) return false;
    }
    return true;
  }

  function renderFacets(all) {
    var focused = document.activeElement && facetBox.contains(document.activeElement) ? document.activeElement.id : null;
    facetBox.textContent = "";
    if (all.length === 0) return;
    var heading = document.createElement("h2");
    heading.textContent = form.getAttribute("data-filters");
    heading.id = "search-facets-h";
    facetBox.appendChild(heading);
    state.manifest.facets.forEach(function (facet) {
      var counts = new Array(facet.values.length + 1).fill(0);
      var values = state.table.facets[facet.key];
      all.forEach(function (h) { if (passes(h.doc, facet.key)) counts[values[h.doc]]++; });
      var chosen = state.selected[facet.key] || [];
      var shown = facet.values.filter(function (v, i) { return counts[i + 1] > 0 || chosen.indexOf(v[0]) >= 0; });
      if (shown.length === 0) return;
      var fieldset = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = facet.label;
      fieldset.appendChild(legend);
      facet.values.forEach(function (v, i) {
        if (counts[i + 1] === 0 && chosen.indexOf(v[0]) < 0) return;
        var row = document.createElement("div");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.id = "facet-" + facet.key + "-" + v[0];
        box.name = facet.key;
        box.value = v[0];
        box.checked = chosen.indexOf(v[0]) >= 0;
        box.addEventListener("change", function () {
          var list = (state.selected[facet.key] || []).filter(function (x) { return x !== v[0]; });
          if (box.checked) list.push(v[0]);
          state.selected[facet.key] = list;
          writeUrl();
          show();
        });
        var label = document.createElement("label");
        label.htmlFor = box.id;
        var name = document.createElement("bdi");
        name.textContent = v[1];
        label.appendChild(name);
        label.appendChild(document.createTextNode(" (" + counts[i + 1] + ")"));
        row.appendChild(box);
        row.appendChild(label);
        fieldset.appendChild(row);
      });
      facetBox.appendChild(fieldset);
    });
    if (Object.keys(state.selected).some(function (k) { return state.selected[k].length > 0; })) {
      var clear = document.createElement("button");
      clear.type = "button";
      clear.id = "search-clear";
      clear.textContent = form.getAttribute("data-clear");
      clear.addEventListener("click", function () {
        state.selected = {};
        writeUrl();
        show();
        input.focus();
      });
      facetBox.appendChild(clear);
    }
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  }

  // ------------------------------------------------------------ results

  // Each language's direction, from the manifest (the site's own table of languages).
  function isRtl(lang) { return state.manifest.directions[lang] === "rtl"; }
  // A fragment's field by name: the manifest lists the fields in their order.
  function field(frag, name) { return frag[state.manifest.fragment.indexOf(name)]; }

  // Appends `text` to `el` with the words whose stem is a query term in <mark>; with
  // `window`, only about that many characters around the first match.
  function highlight(el, text, limit) {
    var words = [];
    var re = /[\p{Alphabetic}\p{N}\p{M}]+/gu;
    var m;
    while ((m = re.exec(text)) !== null) {
      var word = m[0];
      var hit = state.ans.some(function (a) { return a.terms(word).some(function (t) { return state.terms.indexOf(t) >= 0; }); });
      words.push({ start: m.index, end: m.index + m[0].length, hit: hit });
    }
    var from = 0, to = text.length;
    if (limit && text.length > limit) {
      var first = words.findIndex(function (w) { return w.hit; });
      var anchor = first >= 0 ? words[first].start : 0;
      from = anchor;
      for (var i = first - 1; i >= 0 && anchor - words[i].start < limit / 4; i--) from = words[i].start;
      to = Math.min(text.length, from + limit);
      var cut = words.filter(function (w) { return w.end <= to; });
      if (cut.length && to < text.length) to = cut[cut.length - 1].end;
    }
    if (from > 0) el.appendChild(document.createTextNode("… "));
    var at = from;
    words.forEach(function (w) {
      if (!w.hit || w.start < from || w.end > to) return;
      if (w.start > at) el.appendChild(document.createTextNode(text.slice(at, w.start)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(w.start, w.end);
      el.appendChild(mark);
      at = w.end;
    });
    if (to > at) el.appendChild(document.createTextNode(text.slice(at, to)));
    if (to < text.length) el.appendChild(document.createTextNode(" …"));
  }

  function labelOf(key, doc) {
    var facet = state.manifest.facets.find(function (f) { return f.key === key; });
    var value = state.table.facets[key][doc];
    return facet && value > 0 ? facet.values[value - 1][1] : null;
  }

  function fragment(doc) {
    var starts = state.table.starts;
    var lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= doc) lo = mid; else hi = mid - 1;
    }
    return file("f/" + lo + ".bin").then(function (group) { return group[doc - starts[lo]]; });
  }

  function resultItem(hit, frag) {
    var lang = state.manifest.lang;
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = field(frag, "url");
    var titleLang = field(frag, "title_lang");
    var title = document.createElement(titleLang ? "bdi" : "span");
    if (titleLang) { title.lang = titleLang; title.dir = isRtl(titleLang) ? "rtl" : "ltr"; }
    highlight(title, field(frag, "title"), 0);
    a.appendChild(title);
    li.appendChild(a);
    var meta = document.createElement("p");
    meta.className = "meta";
    [labelOf("kind", hit.doc), labelOf("plan", hit.doc), labelOf("status", hit.doc)].forEach(function (label) {
      if (!label) return;
      if (meta.childNodes.length) meta.appendChild(document.createTextNode(" · "));
      var b = document.createElement("bdi");
      b.textContent = label;
      meta.appendChild(b);
    });
    li.appendChild(meta);
    if (field(frag, "context")) {
      var context = document.createElement("p");
      context.className = "context";
      var bdi = document.createElement("bdi");
      bdi.textContent = field(frag, "context");
      context.appendChild(bdi);
      li.appendChild(context);
    }
    if (field(frag, "text")) {
      var excerpt = document.createElement("p");
      excerpt.className = "excerpt";
      var textLang = field(frag, "text_lang") || lang;
      if (field(frag, "text_lang")) { excerpt.lang = textLang; }
      excerpt.dir = isRtl(textLang) ? "rtl" : "ltr";
      highlight(excerpt, field(frag, "text"), 240);
      li.appendChild(excerpt);
    }
    return li;
  }

  function showMore() {
    var run = state.run;
    var page = state.hits.slice(state.shown, state.shown + PAGE);
    state.shown += page.length;
    return Promise.all(page.map(function (h) { return fragment(h.doc); })).then(function (frags) {
      if (run !== state.run) return;
      frags.forEach(function (frag, i) { if (frag) list.appendChild(resultItem(page[i], frag)); });
      moreButton.hidden = state.shown >= state.hits.length;
    });
  }

  // Shows the current results under the selected facets.
  function show() {
    state.run++;
    state.hits = state.all.filter(function (h) { return passes(h.doc, null); });
    state.shown = 0;
    list.textContent = "";
    renderFacets(state.all);
    moreButton.hidden = true;
    var run = state.run;
    // The count is announced once the first results are on screen.
    return showMore().then(function () {
      if (run !== state.run) return;
      status.textContent = state.hits.length
        ? form.getAttribute("data-count").replace("{n}", String(state.hits.length))
        : form.getAttribute("data-empty");
    });
  }

  function search(query) {
    var run = ++state.run;
    return manifest()
      .then(function () {
        var parsed = parseQueryAll(state.ans, query);
        state.terms = [].concat.apply([], parsed.terms);
        if (parsed.terms.length === 0) return null;
        return Promise.all([
          Promise.all(parsed.terms.map(function (stems) { return Promise.all(stems.map(function (t) { return postings("t", t); })).then(union); })),
          Promise.all(parsed.pairs.map(function (p) { return postings("b", p); })),
          docsTable(),
        ]);
      })
      .then(function (found) {
        if (run !== state.run) return;
        if (!found) {
          state.all = [];
          list.textContent = "";
          facetBox.textContent = "";
          status.textContent = "";
          moreButton.hidden = true;
          return;
        }
        state.all = intersect(found[0], found[1]);
        writeUrl();
        return show();
      })
      .catch(function (err) {
        status.textContent = form.getAttribute("data-empty");
        if (window.console) console.error(err);
      });
  }

  var timer = null;
  form.addEventListener("submit", function (e) { e.preventDefault(); search(input.value); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 150);
  });
  moreButton.addEventListener("click", function () { showMore(); });
  var initial = readUrl();
  state.selected = initial.selected;
  if (initial.q) { input.value = initial.q; search(initial.q); }
})();
