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

  function drawImage(g, raw, side, px, alpha) {            // a 32x32 RGB test image under a map, in grey as the widget draws it
    const n = Math.round(Math.sqrt(raw.length / 3)), cell = side * px / n;
    for (let i = 0; i < n * n; i++) {
      const v = Math.round(255 * (0.299 * raw[3 * i] + 0.587 * raw[3 * i + 1] + 0.114 * raw[3 * i + 2]));
      g.fillStyle = "rgba(" + v + "," + v + "," + v + "," + alpha + ")"; g.fillRect((i % n) * cell, Math.floor(i / n) * cell, cell, cell);
    }
  }
  function check(on) { const c = el("input", { type: "checkbox" }); c.checked = on; return c; }

  // The strip-mixing explorer: a random mixer (depth, resolution, cross-strip taps, LSMM held) or a stage of the trained
  // model on a test image (optionally over it), and a token; the footprint on a log or linear scale, grey = not heard.
  function footprintExplorer(root) {
    const d = DATA.footprint, width = 300;
    const mixer = select(d.mixers.concat([d.trained_label]), d.mixers.indexOf("CGSMM") >= 0 ? "CGSMM" : d.mixers[0]);
    const taps = check(true), hold = check(true), log = check(true), overlay = check(false);
    const stage = select(d.sides.map(function (s, k) { return "stage " + (k + 1) + " (" + s + "x" + s + ")"; }), null);
    const image = select(Array.from({ length: d.images }, function (_, i) { return "test image " + i; }), null);
    const depth = select(d.depths.map(String), "1"), size = select(d.sizes.map(function (n) { return n + "x" + n; }), d.size + "x" + d.size);
    const row = slider(d.size - 1, Math.floor(d.size / 2)), col = slider(d.size - 1, Math.floor(d.size / 2));
    const controls = el("div", { class: "controls" });
    [control("mixer", mixer), control("cross-strip taps", taps), control("stage", stage), control("image", image),
     control("row", row), control("col", col), control("depth", depth), control("resolution", size),
     control("hold LSMM path weights", hold), control("log colours", log), control("overlay on image", overlay)]
      .forEach(function (c) { controls.appendChild(c); });
    const title = el("div", { class: "title" });
    const canvas = el("canvas", { width: width, height: width, class: "map" }), bar = el("canvas", { width: 64, height: width, class: "bar" });
    const pics = el("div", { class: "pics" }); pics.appendChild(canvas); pics.appendChild(bar);
    root.appendChild(controls); root.appendChild(title); root.appendChild(pics);
    let shownSide = d.size;
    function draw() {
      const kind = mixer.value, trained = kind === d.trained_label, tapped = !trained && d.tapped.indexOf(kind) >= 0;
      const holds = !trained && d.held.indexOf(kind) >= 0;
      taps.disabled = !tapped; hold.disabled = !holds; depth.disabled = size.disabled = trained; stage.disabled = image.disabled = overlay.disabled = !trained;
      const n = trained ? d.sides[stage.selectedIndex] : d.sizes[size.selectedIndex];
      if (n !== shownSide) { row.max = col.max = n - 1; row.value = col.value = Math.floor(n / 2); shownSide = n; }
      const t = tapped && !taps.checked ? 1 : 3, h = holds && !hold.checked ? 0 : 1, r = +row.value, c = +col.value, px = width / n;
      const values = trained ? d.trained[stage.selectedIndex + "|" + image.selectedIndex][r * n + c]
        : d.maps[[kind, t, h, depth.value, n].join("|")][r * n + c];
      const pos = values.filter(function (v) { return v > 0; });
      const lo = Math.min.apply(null, pos), hi = Math.max.apply(null, pos), useLog = log.checked;
      const norm = function (v) {
        if (hi <= lo) return 1;
        return useLog ? (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : v / hi;
      };
      const g = canvas.getContext("2d"), over = trained && overlay.checked;
      g.clearRect(0, 0, width, width);
      if (over) drawImage(g, d.raw[image.selectedIndex], n, px, 1);
      g.globalAlpha = over ? 0.6 : 1;
      values.forEach(function (v, i) {
        g.fillStyle = v > 0 ? d.cmap[Math.round(255 * Math.min(1, Math.max(0, norm(v))))] : (over ? "rgba(0,0,0,0)" : "#dcdcdc");
        g.fillRect((i % n) * px, Math.floor(i / n) * px, px, px);
      });
      g.globalAlpha = 1;
      g.strokeStyle = "rgba(255,255,255,0.6)"; g.lineWidth = 1;
      for (let k = 1; k < n; k++) { g.beginPath(); g.moveTo(k * px, 0); g.lineTo(k * px, n * px); g.moveTo(0, k * px); g.lineTo(n * px, k * px); g.stroke(); }
      g.strokeStyle = "#00e5ff"; g.lineWidth = 3; g.strokeRect(c * px + 1.5, r * px + 1.5, px - 3, px - 3);
      colourBar(bar, d.cmap, useLog ? lo : 0, hi, "Jacobian norm", useLog);
      const what = trained ? "stage " + (stage.selectedIndex + 1) + " of the shipped model, test image " + image.selectedIndex
        : kind + (depth.value !== "1" ? " x " + depth.value : "") + (tapped && t === 1 ? ", no cross-strip taps" : "")
          + (holds && !h ? ", LSMM's weights exact" : "");
      title.textContent = what + ": token (" + r + ", " + c + ") of the " + n + "x" + n + " map hears " + pos.length + " of "
        + n * n + " tokens (grey: not heard)";
      STATE.footprint = { kind: kind, taps: t, hold: !!h, depth: +depth.value, size: n, stage: stage.selectedIndex,
                          image: image.selectedIndex, token: [r, c], values: values, heard: pos.length, log: useLog, overlay: over };
    }
    [mixer, taps, stage, image, row, col, depth, size, hold, log, overlay].forEach(function (w) { w.addEventListener("input", draw); w.addEventListener("change", draw); });
    draw();
  }

  // The ERF explorer: trained or random weights, stage, token, the images it averages (or one alone), optionally over
  // the image; the ERF (largest value 1) on the widgets' yellow-green.
  function erfExplorer(root) {
    const d = DATA.erf, px = d.pixels, scale = 8;
    const model = select(["trained", "random"], "trained"), stage = select(d.sides.map(function (s, k) { return "stage " + (k + 1) + " (" + s + "x" + s + ")"; }), null);
    const row = slider(d.sides[0] - 1, Math.floor(d.sides[0] / 2)), col = slider(d.sides[0] - 1, Math.floor(d.sides[0] / 2));
    const which = select(["average of test images 0.." + (d.images - 1)].concat(Array.from({ length: d.single }, function (_, i) { return "test image " + i; })), null);
    const overlay = check(false);
    const controls = el("div", { class: "controls" });
    [control("weights", model), control("stage", stage), control("row", row), control("col", col), control("images", which),
     control("over the image", overlay)].forEach(function (c) { controls.appendChild(c); });
    const title = el("div", { class: "title" });
    const canvas = el("canvas", { width: px * scale, height: px * scale, class: "map" }), bar = el("canvas", { width: 64, height: px * scale, class: "bar" });
    const pics = el("div", { class: "pics" }); pics.appendChild(canvas); pics.appendChild(bar);
    root.appendChild(controls); root.appendChild(title); root.appendChild(pics);
    function draw() {
      const k = stage.selectedIndex, side = d.sides[k], w = which.selectedIndex === 0 ? "avg" : String(which.selectedIndex - 1);
      if (+row.max !== side - 1) { row.max = col.max = side - 1; row.value = col.value = Math.floor(side / 2); }
      const r = +row.value, c = +col.value, values = d.maps[model.value + "|" + k + "|" + w][r * side + c];
      const g = canvas.getContext("2d"), over = overlay.checked;
      g.clearRect(0, 0, px * scale, px * scale);
      if (over) drawImage(g, d.raw[w === "avg" ? 0 : +w], px, scale, 1);
      g.globalAlpha = over ? 0.6 : 1;
      values.forEach(function (v, i) {
        g.fillStyle = d.cmap[Math.round(255 * Math.min(1, Math.max(0, v)))];
        g.fillRect((i % px) * scale, Math.floor(i / px) * scale, scale, scale);
      });
      g.globalAlpha = 1;
      const tok = px / side * scale;                                   // token borders, and the explained token's patch
      g.strokeStyle = "rgba(0,0,0,0.15)"; g.lineWidth = 1;
      for (let t = 1; t < side; t++) { g.beginPath(); g.moveTo(t * tok, 0); g.lineTo(t * tok, px * scale); g.moveTo(0, t * tok); g.lineTo(px * scale, t * tok); g.stroke(); }
      g.strokeStyle = "#d62728"; g.lineWidth = 2; g.strokeRect(c * tok + 1, r * tok + 1, tok - 2, tok - 2);
      colourBar(bar, d.cmap, 0, 1, "ERF (largest value 1)", false);
      title.textContent = model.value + " weights, stage " + (k + 1) + " (" + side + "x" + side + " map): token (" + r + ", " + c
        + "), its patch in red; " + (w === "avg" ? "averaged over test images 0.." + (d.images - 1) : "on test image " + w)
        + (over ? ", over " + (w === "avg" ? "test image 0" : "it") : "");
      STATE.erf = { model: model.value, stage: k, token: [r, c], images: w, overlay: over, values: values };
    }
    [model, stage, row, col, which, overlay].forEach(function (w) { w.addEventListener("input", draw); w.addEventListener("change", draw); });
    draw();
  }

  // The attribution explorer: image, method, view; the pictures the widget draws, saved when the docs were built.
  function attributionExplorer(root) {
    const d = DATA.attribution;
    const image = select(d.images, d.images[0]), method = select(d.methods, "ig"), view = select(d.views, d.views[0]);
    const layer = select(d.layers, d.layers[0]);
    const controls = el("div", { class: "controls" });
    [control("image", image), control("method", method), control("view", view), control("Grad-CAM layer", layer)].forEach(function (c) { controls.appendChild(c); });
    const status = el("div", { class: "title" }), picture = el("img", { class: "picture", alt: "attribution map" });
    root.appendChild(controls); root.appendChild(status); root.appendChild(picture);
    function draw() {
      const cam = method.value === "gradcam"; layer.disabled = !cam;
      const key = [image.selectedIndex, method.value, view.selectedIndex, cam ? layer.selectedIndex : 0].join("|"), file = d.files[key];
      if (file) { picture.src = file; picture.style.display = ""; } else picture.style.display = "none";
      status.textContent = file ? method.value + (cam ? " on " + layer.value : "") + ", " + view.value
        : "this combination has no picture (Grad-CAM needs a token map larger than 1x1)";
      STATE.attribution = { image: image.selectedIndex, method: method.value, view: view.value, layer: cam ? layer.value : null, file: file || null };
    }
    [image, method, view, layer].forEach(function (w) { w.addEventListener("input", draw); w.addEventListener("change", draw); });
    draw();
  }

  const BUILD = { footprint: footprintExplorer, erf: erfExplorer, attribution: attributionExplorer };
  document.querySelectorAll("div.smlp-page-explorer").forEach(function (root) {
    if (DATA[root.dataset.explorer]) BUILD[root.dataset.explorer](root);
  });
})();
