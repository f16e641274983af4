// Client-side search of one language's index. Arabic-aware: letter variants
// (أ إ آ ٱ → ا, ى → ي, ة → ه, ؤ → و, ئ → ي), diacritics and tatweel are folded
// on both the index and the query, and French accents are removed.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var docs = null;

  function fold(text) {
    return (text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[\u064B-\u065F\u0670\u0640]/g, "")
      .replace(/[\u0623\u0625\u0622\u0671]/g, "\u0627")
      .replace(/\u0649/g, "\u064A")
      .replace(/\u0629/g, "\u0647")
      .replace(/\u0624/g, "\u0648")
      .replace(/\u0626/g, "\u064A")
      .toLowerCase();
  }

  function load() {
    if (docs) return Promise.resolve(docs);
    return fetch(form.getAttribute("data-index"))
      .then(function (r) { return r.json(); })
      .then(function (raw) {
        docs = raw.map(function (d) {
          return { t: d.t, u: d.u, k: d.k, title: fold(d.t), body: fold(d.x) };
        });
        return docs;
      });
  }

  function search(query) {
    var terms = fold(query).split(/\s+/).filter(function (t) { return t.length > 0; });
    if (terms.length === 0) { list.textContent = ""; status.textContent = ""; return; }
    load().then(function (all) {
      var hits = [];
      all.forEach(function (d) {
        var score = 0;
        for (var i = 0; i < terms.length; i++) {
          var inTitle = d.title.indexOf(terms[i]) >= 0;
          var inBody = d.body.indexOf(terms[i]) >= 0;
          if (!inTitle && !inBody) return;
          score += inTitle ? 3 : 1;
        }
        hits.push({ d: d, score: score });
      });
      hits.sort(function (a, b) { return b.score - a.score || (a.d.t < b.d.t ? -1 : 1); });
      list.textContent = "";
      hits.slice(0, 50).forEach(function (h) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = h.d.u;
        a.textContent = h.d.t;
        li.appendChild(a);
        if (h.d.k) {
          var small = document.createElement("small");
          small.textContent = " — " + h.d.k;
          li.appendChild(small);
        }
        list.appendChild(li);
      });
      status.textContent = hits.length
        ? form.getAttribute("data-count").replace("{n}", String(hits.length))
        : form.getAttribute("data-empty");
    });
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); search(input.value); });
  input.addEventListener("input", function () { search(input.value); });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; search(initial); }
})();
