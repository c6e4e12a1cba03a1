/* Live preview client, injected by `python build.py serve` (never written into output/).
   Connects livereload, and when the last rebuild failed shows its problems over the page.
   A reload the server sent while this page was loading reached no socket: so once livereload
   has connected (the server sends every later reload to this socket), the page asks whether a
   build since the one it was served changed it, and reloads if so. The server reloads only the
   tabs whose page a build changed (serve.reload_tabs). */
(function () {
  "use strict";
  var port = window.location.port || (window.location.protocol === "https:" ? 443 : 80);
  var lr = document.createElement("script");
  lr.src = "/livereload.js?port=" + port;
  document.head.appendChild(lr);

  function show(status) {
    var old = document.getElementById("kc-preview-overlay");
    if (old) { old.remove(); }
    if (status.ok) { return; }
    var box = document.createElement("section");
    box.id = "kc-preview-overlay";
    box.setAttribute("role", "alert");
    box.setAttribute("aria-labelledby", "kc-preview-title");
    var h = document.createElement("h2");
    h.id = "kc-preview-title";
    h.textContent = "Build gagal: " + status.problems.length + " masalah";
    box.appendChild(h);
    var p = document.createElement("p");
    p.textContent = status.served
      ? "Halaman di bawah ini adalah hasil build terakhir yang berhasil. Perbaiki berkas berikut lalu simpan; pratinjau akan pulih sendiri."
      : "Belum ada build yang berhasil. Perbaiki berkas berikut lalu simpan.";
    box.appendChild(p);
    var list = document.createElement("ul");
    status.problems.forEach(function (text) {
      var li = document.createElement("li");
      var code = document.createElement("code");
      code.textContent = text;
      li.appendChild(code);
      list.appendChild(li);
    });
    box.appendChild(list);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Sembunyikan";
    close.addEventListener("click", function () { box.remove(); });
    box.appendChild(close);
    document.body.insertBefore(box, document.body.firstChild);
  }

  var meta = document.querySelector('meta[name="kc-preview-generation"]');
  var shown = meta ? Number(meta.getAttribute("content")) : null;

  function check() {
    var asked = shown === null ? "" : "?page=" + encodeURIComponent(window.location.pathname) +
      "&since=" + shown;
    fetch("/__kotacerdas/status.json" + asked, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (status) {
        if (status.stale) {
          window.location.reload();
          return;
        }
        show(status);
      })
      .catch(function () {});
  }
  check();
  document.addEventListener("LiveReloadConnect", check);
})();
