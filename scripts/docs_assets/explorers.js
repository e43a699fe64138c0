// The explorers' page versions: controls and a canvas per placeholder (div.smlp-page-explorer), drawing the settings
// precomputed in explorer_data.js (window.SMLP_EXPLORERS) with the widgets' colour maps. No framework, no network.
// window.SMLP_EXPLORER_STATE holds what each explorer shows now (for tests/test_docs.py).
(function () {
  "use strict";
  const DATA = window.SMLP_EXPLORERS;
  const STATE = (window.SMLP_EXPLORER_STATE = {});
  if (!DATA) return;

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(function ([k, v]) { e.setAttribute(k, v); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function control(label, input) {
    const wrap = el("label", { class: "ctl" }, label + " ");
    wrap.appendChild(input);
    return wrap;
  }
  function select(options, value) {
    const s = el("select");
    options.forEach(function (o) { const opt = el("option", { value: o }, o); if (o === value) opt.selected = true; s.appendChild(opt); });
    return s;
  }
  function slider(max, value) { return el("input", { type: "range", min: 0, max: max, value: value, step: 1 }); }
  function fmt(v) { return Number(v).toPrecision(2); }
  function colourBar(canvas, cmap, lo, hi, label, log) {
    const g = canvas.getContext("2d"), w = canvas.width, h = canvas.height;
    g.clearRect(0, 0, w, h);
    for (let y = 0; y < h - 20; y++) { g.fillStyle = cmap[Math.round(255 * (1 - y / (h - 21)))]; g.fillRect(0, y + 10, 14, 1); }
    g.fillStyle = "#222"; g.font = "11px sans-serif";
    g.fillText(fmt(hi), 18, 14); g.fillText(fmt(lo), 18, h - 10);
    g.save(); g.translate(w - 4, h / 2); g.rotate(-Math.PI / 2); g.textAlign = "center";
    g.fillText(label + (log ? " (log scale)" : ""), 0, 0); g.restore();
  }

  // The strip-mixing explorer: a random mixer (cross-strip taps on or off) or a stage of the trained model on a test
  // image, and a token; the footprint on a log scale, grey = not heard.
  function footprintExplorer(root) {
    const d = DATA.footprint, cell = 30;
    const mixer = select(d.mixers.concat([d.trained_label]), d.mixers.indexOf("CGSMM") >= 0 ? "CGSMM" : d.mixers[0]);
    const taps = el("input", { type: "checkbox" }); taps.checked = true;
    const stage = select(d.sides.map(function (s, k) { return "stage " + (k + 1) + " (" + s + "x" + s + ")"; }), null);
    const image = select(Array.from({ length: d.images }, function (_, i) { return "test image " + i; }), null);
    const row = slider(d.size - 1, Math.floor(d.size / 2)), col = slider(d.size - 1, Math.floor(d.size / 2));
    const controls = el("div", { class: "controls" });
    [control("mixer", mixer), control("cross-strip taps", taps), control("stage", stage), control("image", image),
     control("row", row), control("col", col)].forEach(function (c) { controls.appendChild(c); });
    const title = el("div", { class: "title" });
    const canvas = el("canvas", { width: d.size * cell, height: d.size * cell, class: "map" }), bar = el("canvas", { width: 64, height: d.size * cell, class: "bar" });
    const pics = el("div", { class: "pics" }); pics.appendChild(canvas); pics.appendChild(bar);
    root.appendChild(controls); root.appendChild(title); root.appendChild(pics);
    let shownSide = d.size;
    function draw() {
      const kind = mixer.value, trained = kind === d.trained_label, tapped = !trained && d.tapped.indexOf(kind) >= 0;
      taps.disabled = !tapped; stage.disabled = image.disabled = !trained;
      const n = trained ? d.sides[stage.selectedIndex] : d.size;
      if (n !== shownSide) { row.max = col.max = n - 1; row.value = col.value = Math.floor(n / 2); shownSide = n; }
      const t = tapped && !taps.checked ? 1 : 3, r = +row.value, c = +col.value, px = cell * d.size / n;
      const values = trained ? d.trained[stage.selectedIndex + "|" + image.selectedIndex][r * n + c] : d.maps[kind + "|" + t][r * n + c];
      const pos = values.filter(function (v) { return v > 0; });
      const lo = Math.min.apply(null, pos), hi = Math.max.apply(null, pos);
      const norm = function (v) { return hi > lo ? (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : 1; };
      const g = canvas.getContext("2d");
      values.forEach(function (v, i) {
        g.fillStyle = v > 0 ? d.cmap[Math.round(255 * Math.min(1, Math.max(0, norm(v))))] : "#dcdcdc";
        g.fillRect((i % n) * px, Math.floor(i / n) * px, px, px);
      });
      g.strokeStyle = "rgba(255,255,255,0.6)"; g.lineWidth = 1;
      for (let k = 1; k < n; k++) { g.beginPath(); g.moveTo(k * px, 0); g.lineTo(k * px, n * px); g.moveTo(0, k * px); g.lineTo(n * px, k * px); g.stroke(); }
      g.strokeStyle = "#00e5ff"; g.lineWidth = 3; g.strokeRect(c * px + 1.5, r * px + 1.5, px - 3, px - 3);
      colourBar(bar, d.cmap, lo, hi, "Jacobian norm", true);
      const what = trained ? "stage " + (stage.selectedIndex + 1) + " of the shipped model, test image " + image.selectedIndex
        : kind + (tapped && t === 1 ? ", no cross-strip taps" : "");
      title.textContent = what + ": token (" + r + ", " + c + ") of the " + n + "x" + n + " map hears " + pos.length + " of "
        + n * n + " tokens (grey: not heard)";
      STATE.footprint = { kind: kind, taps: t, stage: stage.selectedIndex, image: image.selectedIndex, token: [r, c], values: values, heard: pos.length };
    }
    [mixer, taps, stage, image, row, col].forEach(function (w) { w.addEventListener("input", draw); w.addEventListener("change", draw); });
    draw();
  }

  // The ERF explorer: trained or random weights, stage, token; the ERF (largest value 1) on the widgets' yellow-green.
  function erfExplorer(root) {
    const d = DATA.erf, px = d.pixels, scale = 8;
    const model = select(["trained", "random"], "trained"), stage = select(d.sides.map(function (s, k) { return "stage " + (k + 1) + " (" + s + "x" + s + ")"; }), null);
    const row = slider(d.sides[0] - 1, Math.floor(d.sides[0] / 2)), col = slider(d.sides[0] - 1, Math.floor(d.sides[0] / 2));
    const controls = el("div", { class: "controls" });
    [control("weights", model), control("stage", stage), control("row", row), control("col", col)].forEach(function (c) { controls.appendChild(c); });
    const title = el("div", { class: "title" });
    const canvas = el("canvas", { width: px * scale, height: px * scale, class: "map" }), bar = el("canvas", { width: 64, height: px * scale, class: "bar" });
    const pics = el("div", { class: "pics" }); pics.appendChild(canvas); pics.appendChild(bar);
    root.appendChild(controls); root.appendChild(title); root.appendChild(pics);
    function draw() {
      const k = stage.selectedIndex, side = d.sides[k];
      if (+row.max !== side - 1) { row.max = col.max = side - 1; row.value = col.value = Math.floor(side / 2); }
      const r = +row.value, c = +col.value, values = d.maps[model.value + "|" + k][r * side + c];
      const g = canvas.getContext("2d");
      values.forEach(function (v, i) {
        g.fillStyle = d.cmap[Math.round(255 * Math.min(1, Math.max(0, v)))];
        g.fillRect((i % px) * scale, Math.floor(i / px) * scale, scale, scale);
      });
      const tok = px / side * scale;                                   // token borders, and the explained token's patch
      g.strokeStyle = "rgba(0,0,0,0.15)"; g.lineWidth = 1;
      for (let t = 1; t < side; t++) { g.beginPath(); g.moveTo(t * tok, 0); g.lineTo(t * tok, px * scale); g.moveTo(0, t * tok); g.lineTo(px * scale, t * tok); g.stroke(); }
      g.strokeStyle = "#d62728"; g.lineWidth = 2; g.strokeRect(c * tok + 1, r * tok + 1, tok - 2, tok - 2);
      colourBar(bar, d.cmap, 0, 1, "ERF (largest value 1)", false);
      title.textContent = model.value + " weights, stage " + (k + 1) + " (" + side + "x" + side + " map): token (" + r + ", " + c
        + "), its patch in red; averaged over test images 0.." + (d.images - 1);
      STATE.erf = { model: model.value, stage: k, token: [r, c], values: values };
    }
    [model, stage, row, col].forEach(function (w) { w.addEventListener("input", draw); w.addEventListener("change", draw); });
    draw();
  }

  // The attribution explorer: image, method, view; the pictures the widget draws, saved when the docs were built.
  function attributionExplorer(root) {
    const d = DATA.attribution;
    const image = select(d.images, d.images[0]), method = select(d.methods, "ig"), view = select(d.views, d.views[0]);
    const controls = el("div", { class: "controls" });
    [control("image", image), control("method", method), control("view", view)].forEach(function (c) { controls.appendChild(c); });
    const status = el("div", { class: "title" }), picture = el("img", { class: "picture", alt: "attribution map" });
    root.appendChild(controls); root.appendChild(status); root.appendChild(picture);
    function draw() {
      const key = image.selectedIndex + "|" + method.value + "|" + view.selectedIndex, file = d.files[key];
      if (file) { picture.src = file; picture.style.display = ""; } else picture.style.display = "none";
      status.textContent = file ? method.value + (method.value === "gradcam" ? " on " + d.layer : "") + ", " + view.value
        : "this combination has no picture (Grad-CAM needs a token map larger than 1x1)";
      STATE.attribution = { image: image.selectedIndex, method: method.value, view: view.value, file: file || null };
    }
    [image, method, view].forEach(function (w) { w.addEventListener("input", draw); w.addEventListener("change", draw); });
    draw();
  }

  const BUILD = { footprint: footprintExplorer, erf: erfExplorer, attribution: attributionExplorer };
  document.querySelectorAll("div.smlp-page-explorer").forEach(function (root) {
    if (DATA[root.dataset.explorer]) BUILD[root.dataset.explorer](root);
  });
})();
