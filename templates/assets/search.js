/* Site search: filters the build-time index (cari/indeks.json) while the reader types.
   No dependencies, no eval, no inline code, one same-origin fetch. Interface strings come from
   data-* attributes of the [data-search] element, so all text stays in the string catalogue.
   normalize() and PREFIXES must match kotacerdas/search.py, which normalized the index keys. */
(function () {
  "use strict";
  var root = document.querySelector("[data-search]");
  if (!root || !window.fetch || !String.prototype.normalize) return;
  var input = root.querySelector("input[name=q]");
  var status = root.querySelector("[data-search-status]");
  var out = root.querySelector("[data-search-results]");
  var LIMIT = 50;
  var PREFIXES = ["kabupaten", "kab", "kota", "kotamadya", "kodya", "administrasi", "adm",
                  "provinsi", "prov"];
  /* English readers put the kind after the name ('Bandung Regency', 'Aceh Province'). */
  var SUFFIXES = {"regency": "kabupaten", "city": "kota", "province": ""};
  var RANK = {"peserta": 0, "wilayah-non-peserta": 1, "provinsi": 2, "berita": 3, "halaman": 4};
  var items = null;

  function attr(name) { return root.getAttribute("data-" + name) || ""; }
  function say(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }
  function normalize(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, " ").trim();
  }
  function startsWith(text, start) { return text.lastIndexOf(start, 0) === 0; }

  /* Each key as its words and its "tails" (the words from one onwards, spaces removed), so that
     'gunung kidul' finds 'gunungkidul' and 'pangkalpinang' finds 'pangkal pinang'. */
  function prepare(entry) {
    entry.keys = entry.k.map(function (key) {
      var words = key.split(" "), tails = [];
      for (var i = 0; i < words.length; i++) tails.push(words.slice(i).join(""));
      return {words: words, tails: tails};
    });
    var first = normalize(entry.t).split(" ")[0];
    entry.kind = first === "kota" || first === "kabupaten" ? first : "";
    return entry;
  }

  /* 0: the whole name (spaces aside), 1: every query word starts a word of the name, or the
     query without spaces starts the name from one of its words; 2: no match. */
  function grade(entry, words) {
    var joined = words.join(""), best = 2;
    entry.keys.forEach(function (key) {
      if (key.tails[0] === joined) best = 0;
      else if (best === 2 && (words.every(function (w) {
        return key.words.some(function (k) { return startsWith(k, w); });
      }) || key.tails.some(function (t) { return startsWith(t, joined); }))) best = 1;
    });
    return best;
  }

  /* Matches, best first: places and provinces before news and pages; whole names before
     prefixes; the kind the reader typed ('kota …', 'kab. …') first; participants first. */
  function search(query) {
    var text = normalize(query);
    if (!text) return [];
    var full = text.split(" "), bare = full.slice();
    while (bare.length > 1 && PREFIXES.indexOf(bare[0]) >= 0) bare.shift();
    var typed = full.length > bare.length ? full[0] : "";
    var prefer = startsWith(typed, "kab") ? "kabupaten" : typed ? "kota" : "";
    if (startsWith(typed, "prov") || startsWith(typed, "adm")) prefer = "";
    var last = bare[bare.length - 1];
    if (bare.length > 1 && Object.prototype.hasOwnProperty.call(SUFFIXES, last)) {
      bare.pop();
      prefer = SUFFIXES[last];
    }
    var found = [];
    items.forEach(function (entry, position) {
      var g = Math.min(grade(entry, bare), typed ? grade(entry, full) : 2);
      if (g === 2) return;
      var rank = RANK[entry.y], place = rank < 3 ? 0 : 1;
      var other = prefer && entry.kind && entry.kind !== prefer ? 1 : 0;
      found.push({entry: entry, order: [place, place ? 1 : g, other, rank, position]});
    });
    return found.sort(function (a, b) {
      for (var i = 0; i < a.order.length; i++) {
        if (a.order[i] !== b.order[i]) return a.order[i] - b.order[i];
      }
      return 0;
    }).map(function (f) { return f.entry; });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }
  function link(href, text) { var a = el("a", "", text); a.href = href; return a; }

  function item(entry) {
    var li = el("li");
    li.appendChild(el("span", "search-type", attr("type-" + entry.y)));
    li.appendChild(document.createTextNode(" "));
    if (entry.y === "wilayah-non-peserta") {
      var sentence = attr("t-not-participant").split("{name}");
      li.appendChild(document.createTextNode(sentence[0]));
      li.appendChild(el("strong", "", entry.t));
      li.appendChild(document.createTextNode(sentence.slice(1).join(entry.t)));
      var more = el("span", "search-text");
      if (attr("join")) {
        more.appendChild(link(attr("join"), attr("t-join")));
        more.appendChild(document.createTextNode(" · "));
      }
      more.appendChild(link(entry.u, entry.d));
      li.appendChild(more);
    } else {
      li.appendChild(link(entry.u, entry.t));
      if (entry.w) {
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("span", "badge badge-warning", entry.w));
      }
      if (entry.n) {
        var why = el("span", "search-text", entry.n);
        if (entry.l) why.lang = entry.l;
        li.appendChild(why);
      }
      if (entry.d) li.appendChild(el("span", "search-text meta", entry.d));
    }
    return li;
  }

  function show() {
    var query = input.value.trim();
    var address = new URL(window.location.href);
    if (query) address.searchParams.set("q", query); else address.searchParams.delete("q");
    window.history.replaceState(null, "", address.href);
    out.textContent = "";
    if (!query) { status.textContent = ""; return; }
    if (!items) { status.textContent = attr("t-loading"); return; }
    var found = search(query), values = {count: found.length, query: query, shown: LIMIT};
    if (!found.length) { status.textContent = say(attr("t-none"), values); return; }
    status.textContent = say(attr(found.length > LIMIT ? "t-capped" : "t-count"), values);
    var list = el("ol", "search-results");
    found.slice(0, LIMIT).forEach(function (entry) { list.appendChild(item(entry)); });
    out.appendChild(list);
  }

  root.querySelector("[data-search-nojs]").hidden = true;
  input.value = new URLSearchParams(window.location.search).get("q") || "";
  input.addEventListener("input", show);
  root.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
    show();
  });
  show();
  window.fetch(attr("index"), {credentials: "same-origin"}).then(function (response) {
    if (!response.ok) throw new Error(response.status);
    return response.json();
  }).then(function (data) {
    items = data.items.map(prepare);
    show();
  }).catch(function () {
    status.textContent = attr("t-error");
  });
})();
