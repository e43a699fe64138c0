// The pages' own script (no framework, no network): the search box over all pages, and the exercises' answers.
(function () {
  "use strict";
  // Search: every word typed must appear in a page's title or text (SMLP_SEARCH, from search_index.js).
  function snippet(text, word) {
    const i = text.toLowerCase().indexOf(word);
    return (i > 40 ? "..." : "") + text.slice(Math.max(0, i - 40), i + 80) + "...";
  }
  function search(query) {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    return (window.SMLP_SEARCH || []).filter(function (p) {
      const hay = (p.title + " " + p.text).toLowerCase();
      return words.every(function (w) { return hay.indexOf(w) >= 0; });
    }).slice(0, 12).map(function (p) { return {page: p, snip: snippet(p.text, words[0])}; });
  }
  function searchBox() {
    const nav = document.querySelector("nav.pages");
    if (!nav) return;
    const box = document.createElement("div");
    box.className = "search";
    box.innerHTML = '<input type="search" placeholder="search the docs" aria-label="search the docs"><div class="results"></div>';
    nav.insertBefore(box, nav.children[1] || null);
    const input = box.querySelector("input"), results = box.querySelector(".results");
    input.addEventListener("input", function () {
      results.innerHTML = "";
      search(input.value).forEach(function (r) {
        const a = document.createElement("a");
        a.href = r.page.file; a.className = "hit";
        a.innerHTML = "<b></b><small></small>";
        a.querySelector("b").textContent = r.page.title;
        a.querySelector("small").textContent = r.snip;
        results.appendChild(a);
      });
      if (input.value.trim() && !results.children.length) results.textContent = "no page has all these words";
    });
  }
  // Exercises: the answer is checked against the accepted answers the package computed when the docs were built.
  function reply(spec, value) {
    const v = value.trim();
    if (spec.kind === "choice") {
      if (!v) return "choose one of the options";
      return spec.accepted.some(function (a) { return a.toLowerCase() === v.toLowerCase(); }) ? true
        : "not that one. Hint: " + spec.hint;
    }
    if (!v) return "answer with a number";
    // a plain decimal number only: "2,4" is 2.4 or 24 depending on the country, so a comma is refused, never dropped;
    // no hex or binary literals ("0x1"), no "Infinity"
    if (v.indexOf(",") >= 0) return "write the number without commas: decimals with a point (e.g. 0.5), no thousands separators";
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(v)) return "answer with a number, e.g. 12 or 0.5";
    const x = Number(v);
    if (!isFinite(x)) return "answer with a finite number";
    if (spec.kind === "int" && x !== Math.round(x)) return "this one is a whole number";
    const right = spec.accepted[0];
    if (Math.abs(x - right) <= spec.tol + 1e-9) return true;
    return "not yet: the answer is " + (right > x ? "larger" : "smaller") + ". Hint: " + spec.hint;
  }
  function exercises() {
    document.querySelectorAll("form.exercise").forEach(function (form) {
      const spec = JSON.parse(form.dataset.spec), out = form.querySelector(".reply");
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        const field = form.querySelector("input, select"), r = reply(spec, field.value);
        out.textContent = r === true ? "right" : r;
        out.className = "reply " + (r === true ? "right" : "wrong");
      });
    });
  }
  window.SMLP = {search: search, reply: reply};
  searchBox(); exercises();
})();
