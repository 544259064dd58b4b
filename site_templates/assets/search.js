/* c1 site search: finds a desa or kecamatan by name (case and spacing forgiven) or a TPS by its
   13-digit code, from small index files loaded as scripts (so it also works from file://).
   Without JavaScript the form stays hidden and every page is reachable by links. */
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) { return; }
  form.hidden = false;
  var input = form.querySelector("input");
  var list = form.querySelector(".results");
  var root = form.getAttribute("data-root");
  var assets = form.getAttribute("data-assets");
  var lang = form.getAttribute("data-lang");
  var words = {
    id: {none: "Tidak ditemukan.", more: "Ketik paling sedikit 2 huruf atau kode TPS 13 digit.",
         levels: {0: "Nasional", 1: "Provinsi", 2: "Kabupaten/Kota", 3: "Kecamatan", 4: "Desa/Kelurahan", 5: "TPS"}},
    en: {none: "Nothing found.", more: "Type at least 2 letters or a 13-digit TPS code.",
         levels: {0: "National", 1: "Province", 2: "Regency/City", 3: "District", 4: "Village", 5: "Polling station"}}
  }[lang] || {};
  var shards = {};
  var waiting = {};

  function norm(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^0-9a-z]+/g, " ").trim();
  }
  window.C1Search = {
    add: function (name, entries) {
      shards[name] = entries;
      (waiting[name] || []).forEach(function (done) { done(entries); });
      delete waiting[name];
    }
  };
  function load(name, done) {
    if (shards[name]) { done(shards[name]); return; }
    if (waiting[name]) { waiting[name].push(done); return; }
    waiting[name] = [done];
    var script = document.createElement("script");
    script.src = assets + "cari/" + name + ".js";
    script.onerror = function () { C1Search.add(name, []); };
    document.head.appendChild(script);
  }
  function show(items) {
    list.textContent = "";
    if (!items.length) { item(words.none); return; }
    items.slice(0, 25).forEach(function (hit) { item(hit[0], hit[1]); });
  }
  function item(text, href) {
    var li = document.createElement("li");
    if (href) {
      var a = document.createElement("a");
      a.href = root + href;
      a.textContent = text;
      li.appendChild(a);
    } else {
      li.textContent = text;
    }
    list.appendChild(li);
  }
  function search() {
    var q = norm(input.value);
    if (/^\d{13}$/.test(q.replace(/ /g, ""))) {
      var code = q.replace(/ /g, "");
      load("tps-" + code.slice(0, 4), function (entries) {
        var hits = entries.filter(function (e) { return e[0] === code; }).map(function (e) {
          return [e[1] + " (" + e[0] + "), " + e[3], "wilayah/" + e[2] + ".html#tps-" + e[0]];
        });
        show(hits);
      });
      return;
    }
    if (q.length < 2) { list.textContent = ""; item(words.more); return; }
    var parts = q.split(" ");
    load("nama-" + parts[0].charAt(0), function (entries) {
      var hits = entries.filter(function (e) {
        var names = e[3].split(" ");
        return parts.every(function (p) {
          return names.some(function (n) { return n.indexOf(p) === 0; });
        });
      }).map(function (e) {
        return [(words.levels[e[2]] || "") + " " + e[1], e[4]];
      });
      show(hits);
    });
  }
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
})();
