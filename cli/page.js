"use strict";
// Draws the items of #ledger-data on a time axis in inline SVG: one lane per kind, exact days as
// points, imprecise dates as bars over every day they may mean, open ends faded to the edge.
(() => {
  const DATA = JSON.parse(document.getElementById("ledger-data").textContent);
  const ITEMS = DATA.items;
  const NS = "http://www.w3.org/2000/svg";
  const DAY = 86400000;
  const COLORS = {
    park_unveiled: "#2e7d32", delegation_visit: "#1565c0", meeting: "#6a1b9a",
    agreement_signed: "#c62828", project_signed: "#e65100", project_milestone: "#795548",
    company_incorporated: "#00838f", job_fair: "#ad1457", training: "#558b2f",
    secondment: "#4527a0", trade_fair: "#b28704", promotion: "#d84315",
    exchange: "#0277bd", period_report: "#455a64", other: "#757575",
  };
  const M = { left: 160, right: 18, top: 52, bottom: 26 };
  const ROW = 24;
  const LANE_PAD = 6;

  const day = (iso) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY;
  const iso = (d) => new Date(d * DAY).toISOString().slice(0, 10);
  const yearOf = (d) => new Date(d * DAY).getUTCFullYear();
  const jan1 = (y) => Date.UTC(y, 0, 1) / DAY;
  const words = (kind) => kind.replace(/_/g, " ");
  // A span covers whole days: from the first day's start to the end of the last.
  for (const it of ITEMS) {
    it.a = it.lower ? day(it.lower) : null;
    it.b = it.upper ? day(it.upper) + 1 : null;
  }

  const kinds = DATA.kinds.filter((k) => ITEMS.some((it) => it.kind === k));
  const enabled = new Set(kinds);
  const bounds = ITEMS.flatMap((it) => [it.a, it.b]).filter((d) => d !== null);
  const [w0, w1] = DATA.window;
  const first = w0 ? day(w0) : jan1(bounds.length ? yearOf(Math.min(...bounds)) : new Date().getUTCFullYear());
  const last = w1 ? day(w1) + 1 : jan1(bounds.length ? yearOf(Math.max(...bounds) - 1) + 1 : yearOf(first) + 1);
  let v0 = first, v1 = last;

  document.documentElement.classList.add("has-js");
  const plot = document.getElementById("plot");
  const tip = document.getElementById("tip");
  const chart = document.getElementById("chart");
  const rows = [...document.querySelectorAll("#items tbody tr")];

  const el = (name, attrs = {}, parent = null, text = null) => {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== null) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  };
  const html = (name, parent, text = null, cls = null) => {
    const node = document.createElement(name);
    if (text !== null) node.textContent = text;
    if (cls) node.className = cls;
    parent.appendChild(node);
    return node;
  };

  const ctx = document.createElement("canvas").getContext("2d");
  const family = getComputedStyle(document.documentElement).fontFamily;
  const textWidth = (text, px = 12) => {
    if (ctx) {
      ctx.font = `${px}px ${family}`;
      return ctx.measureText(text).width;
    }
    return [...text].reduce((w, ch) => w + (ch.codePointAt(0) > 0x2e80 ? px : px * 0.6), 0);
  };

  const laneName = (k, n = ITEMS.filter((it) => it.kind === k).length) => `${words(k)} (${n})`;
  // The left margin fits the widest lane name (drawn bold, hence the allowance).
  M.left = Math.ceil(Math.max(120, ...kinds.map((k) => textWidth(laneName(k)) * 1.12 + 44)));

  // Controls: a checkbox per kind, two date inputs and a button per year.
  const controls = document.getElementById("controls");
  const kindBox = html("div", controls, null, "kinds");
  for (const k of kinds) {
    const label = html("label", kindBox);
    const box = html("input", label);
    box.type = "checkbox";
    box.checked = true;
    box.value = k;
    box.addEventListener("change", () => {
      box.checked ? enabled.add(k) : enabled.delete(k);
      draw();
    });
    html("span", label, null, "swatch").style.background = COLORS[k];
    label.append(laneName(k));
  }
  const range = html("div", controls, null, "range");
  range.append("from ");
  const from = html("input", range);
  range.append(" to ");
  const to = html("input", range);
  for (const input of [from, to]) {
    input.type = "date";
    input.addEventListener("change", () => {
      if (!from.value || !to.value || day(to.value) < day(from.value)) return;
      zoomTo(day(from.value), day(to.value) + 1);
    });
  }
  const button = (label, a, b) => {
    const btn = html("button", range, label);
    btn.type = "button";
    btn.addEventListener("click", () => zoomTo(a, b));
  };
  button("all", first, last);
  for (let y = yearOf(first); y <= yearOf(last - 1); y++) button(String(y), jan1(y), jan1(y + 1));
  const count = html("span", range, null, "count");

  function zoomTo(a, b) {
    const span = Math.min(Math.max(b - a, 7), 365 * 60);
    const mid = (a + b) / 2;
    v0 = Math.round(mid - span / 2);
    v1 = v0 + Math.round(span);
    draw();
  }

  // Each item's box in pixels, its label placed where it fits; lanes pack boxes into rows.
  function layout(it, x, xl, xr) {
    const label = it.title;
    const lw = textWidth(label);
    const box = { it, label, point: it.a !== null && it.b - it.a === 1 };
    if (box.point) {
      box.cx = x(it.a + 0.5);
      box.tx = box.cx + 9;
      box.anchor = "start";
      if (box.tx + lw > xr && box.cx - 9 - lw > xl) [box.tx, box.anchor] = [box.cx - 9, "end"];
    } else {
      box.x0 = it.a === null ? xl : Math.max(xl, x(it.a));
      box.x1 = it.b === null ? xr : Math.min(xr, x(it.b));
      box.x1 = Math.max(box.x1, box.x0 + 3);
      // Inside the bar when it fits (at the known end of an open one), else beside it.
      const fits = box.x1 - box.x0 > lw + 12;
      if (fits && it.a === null) [box.tx, box.anchor] = [box.x1 - 6, "end"];
      else if (fits) [box.tx, box.anchor] = [box.x0 + 5, "start"];
      else if (box.x1 + 5 + lw <= xr || box.x0 - 5 - lw < xl) [box.tx, box.anchor] = [box.x1 + 5, "start"];
      else [box.tx, box.anchor] = [box.x0 - 5, "end"];
    }
    const t0 = box.anchor === "start" ? box.tx : box.tx - lw;
    const s0 = box.point ? box.cx - 6 : box.x0;
    const s1 = box.point ? box.cx + 6 : box.x1;
    box.from = Math.min(s0, t0);
    box.to = Math.max(s1, t0 + lw);
    return box;
  }

  function pack(boxes) {
    const ends = [];
    boxes.sort((p, q) => p.from - q.from);
    for (const box of boxes) {
      let row = ends.findIndex((end) => end + 6 <= box.from);
      if (row < 0) row = ends.push(0) - 1;
      ends[row] = box.to;
      box.row = row;
    }
    return Math.max(ends.length, 1);
  }

  function visible(it) {
    return enabled.has(it.kind) && (it.a === null || it.a < v1) && (it.b === null || it.b > v0);
  }

  function draw() {
    const W = Math.max(plot.clientWidth || 1200, 600);
    const xl = M.left, xr = W - M.right;
    const x = (d) => xl + ((d - v0) / (v1 - v0)) * (xr - xl);
    const shown = ITEMS.filter(visible);
    const lanes = kinds.filter((k) => enabled.has(k)).map((k) => {
      const boxes = shown.filter((it) => it.kind === k).map((it) => layout(it, x, xl, xr));
      return { kind: k, boxes, rows: boxes.length ? pack(boxes) : 0 };
    }).filter((lane) => lane.rows);
    let y = M.top;
    for (const lane of lanes) {
      lane.y = y;
      lane.h = lane.rows * ROW + 2 * LANE_PAD;
      y += lane.h;
    }
    const H = Math.max(y, M.top + 40) + M.bottom;

    plot.replaceChildren();
    const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "items on a time axis" }, plot);
    const defs = el("defs", {}, svg);
    for (const k of kinds) {
      for (const [id, x1, x2] of [[`fade-l-${k}`, 0, 1], [`fade-r-${k}`, 1, 0]]) {
        const g = el("linearGradient", { id, x1, x2, y1: 0, y2: 0 }, defs);
        el("stop", { offset: 0, "stop-color": COLORS[k], "stop-opacity": 0 }, g);
        el("stop", { offset: 0.6, "stop-color": COLORS[k], "stop-opacity": 0.3 }, g);
      }
    }
    drawAxis(svg, x, xl, xr, H);
    for (const lane of lanes) drawLane(svg, lane, W, xl, xr);
    if (!lanes.length) el("text", { x: xl + 10, y: M.top + 26, class: "tick-label" }, svg, "no items in this view");

    from.value = iso(v0);
    to.value = iso(v1 - 1);
    const ids = new Set(shown.map((it) => it.id));
    for (const tr of rows) tr.classList.toggle("filtered", !ids.has(tr.dataset.id));
    count.textContent = `${shown.length} of ${ITEMS.length} items in view`;
  }

  function drawAxis(svg, x, xl, xr, H) {
    const axis = el("g", { class: "axis" }, svg);
    const perDay = (xr - xl) / (v1 - v0);
    for (let y = yearOf(v0); jan1(y) < v1; y++) {
      const a = Math.max(x(jan1(y)), xl), b = Math.min(x(jan1(y + 1)), xr);
      el("rect", { x: a, y: 0, width: b - a, height: H, fill: y % 2 ? "#f4f6f9" : "#ffffff" }, axis);
      if (jan1(y) >= v0) el("line", { x1: a, x2: a, y1: 0, y2: H, stroke: "#9aa4ae" }, axis);
      const label = { x: (a + b) / 2, y: 21, "text-anchor": "middle", class: "year-label" };
      if (b - a > 34) el("text", label, axis, String(y));
    }
    // Months, or quarters when months are too narrow to name; days when zoomed in far.
    const step = perDay * 30.4 >= 30 ? 1 : perDay * 91 >= 26 ? 3 : 0;
    if (step) {
      for (let y = yearOf(v0); jan1(y) < v1; y++) {
        for (let m = 0; m < 12; m += step) {
          const s = Date.UTC(y, m, 1) / DAY, e = Date.UTC(y, m + step, 1) / DAY;
          if (e <= v0 || s >= v1) continue;
          if (m && s > v0) el("line", { x1: x(s), x2: x(s), y1: 28, y2: H, stroke: "#e3e7eb" }, axis);
          const a = Math.max(x(s), xl), b = Math.min(x(e), xr);
          const name = step === 1 ? `${m + 1}月` : `Q${m / 3 + 1}`;
          const label = { x: (a + b) / 2, y: 42, "text-anchor": "middle", class: "tick-label" };
          if (b - a > 22) el("text", label, axis, name);
        }
      }
    }
    if (perDay >= 14) {
      for (let d = Math.ceil(v0); d < v1; d++) {
        el("text", { x: x(d + 0.5), y: H - 8, "text-anchor": "middle", class: "tick-label" }, axis,
          String(new Date(d * DAY).getUTCDate()));
      }
    }
    el("rect", { x: 0, y: 0, width: xl, height: H, fill: "#ffffff" }, axis);
    el("line", { x1: 0, x2: xr + M.right, y1: M.top - 0.5, y2: M.top - 0.5, stroke: "#9aa4ae" }, axis);
  }

  function drawLane(svg, lane, W, xl, xr) {
    const color = COLORS[lane.kind];
    const g = el("g", { class: "lane", "data-kind": lane.kind }, svg);
    el("line", { x1: 0, x2: W, y1: lane.y + lane.h - 0.5, y2: lane.y + lane.h - 0.5, stroke: "#d0d7de" }, g);
    el("rect", { x: 10, y: lane.y + LANE_PAD + 5, width: 10, height: 10, rx: 2, fill: color }, g);
    el("text", { x: 26, y: lane.y + LANE_PAD + 14, class: "lane-label", fill: color }, g,
      laneName(lane.kind, lane.boxes.length));
    for (const box of lane.boxes) {
      const it = box.it;
      const cy = lane.y + LANE_PAD + box.row * ROW + ROW / 2;
      const planned = it.flags.includes("planned");
      const node = el("g", {
        class: "item", "data-id": it.id, tabindex: 0, role: "button", "aria-label": `${it.date} ${it.title}`,
      }, g);
      const line = { stroke: color, "stroke-width": 1.4 };
      if (planned || it.certainty === "overlaps") line["stroke-dasharray"] = "4 3";
      if (box.point) {
        el("circle", { cx: box.cx, cy, r: 5.5, fill: planned ? "#fff" : color, ...line }, node);
      } else if (it.a === null || it.b === null) {
        const open = it.a === null ? "l" : "r";
        const fade = `url(#fade-${open}-${it.kind})`;
        el("rect", { x: box.x0, y: cy - 8, width: box.x1 - box.x0, height: 16, fill: fade }, node);
        const known = open === "l" ? box.x1 : box.x0;
        el("line", { x1: known, x2: known, y1: cy - 9, y2: cy + 9, ...line, "stroke-width": 2.5 }, node);
        const edge = open === "l" ? xl : xr, dir = open === "l" ? 1 : -1;
        el("path", { d: `M${edge},${cy} l${7 * dir},-5 v10 z`, fill: color, opacity: 0.55 }, node);
      } else {
        el("rect", {
          x: box.x0, y: cy - 8, width: box.x1 - box.x0, height: 16, rx: 3,
          fill: color, "fill-opacity": planned ? 0.06 : 0.22, ...line,
        }, node);
      }
      el("text", { x: box.tx, y: cy + 4.2, "text-anchor": box.anchor, class: "item-label" }, node, box.label);
      node.addEventListener("mouseenter", (e) => pinned || show(it, e.clientX, e.clientY));
      node.addEventListener("mousemove", (e) => pinned || show(it, e.clientX, e.clientY));
      node.addEventListener("mouseleave", () => pinned || hide());
      node.addEventListener("focus", () => {
        const r = node.getBoundingClientRect();
        if (!pinned) show(it, r.left + r.width / 2, r.bottom);
      });
      node.addEventListener("blur", () => pinned || hide());
      node.addEventListener("click", (e) => {
        e.stopPropagation();
        if (!dragged) pin(it, node, e.clientX, e.clientY);
      });
      node.addEventListener("keydown", (e) => {
        if (e.key !== "Enter" && e.key !== " ") return;
        e.preventDefault();
        const r = node.getBoundingClientRect();
        pin(it, node, r.left + r.width / 2, r.bottom);
      });
      if (pinned === it.id) node.classList.add("pinned");
    }
  }

  // The tooltip: title, date, measures and the source sentence with its document.
  let pinned = null;
  function show(it, cx, cy) {
    tip.replaceChildren();
    html("h2", tip, it.title);
    const certain = it.certainty === "overlaps" ? " · may lie outside the window" : "";
    const flags = it.flags.length ? ` · ${it.flags.join(", ")}` : "";
    html("p", tip, `${it.date} · ${words(it.kind)} · ${it.scope}${flags}${certain}`, "meta");
    if (it.measure_lines.length) {
      const ul = html("ul", tip);
      for (const line of it.measure_lines) html("li", ul, line);
    }
    html("blockquote", tip, it.source.quote || "(no quote)", "quote");
    const published = it.source.published ? `, published ${it.source.published}` : "";
    html("cite", tip, `${it.source.document}${published} · ${it.id}`);
    if (it.note) html("p", tip, it.note, "meta");
    if (pinned) {
      const link = html("a", tip, "↓ in the table");
      link.href = `#row-${it.id}`;
    }
    tip.hidden = false;
    const box = chart.getBoundingClientRect();
    const left = Math.min(cx - box.left + 14, box.width - tip.offsetWidth - 4);
    let top = cy - box.top + 16;
    if (cy + tip.offsetHeight + 24 > window.innerHeight) top = cy - box.top - tip.offsetHeight - 12;
    tip.style.left = `${Math.max(left, 4)}px`;
    tip.style.top = `${Math.max(top, 4)}px`;
  }
  function hide() {
    tip.hidden = true;
    tip.classList.remove("pinned");
  }
  function pin(it, node, cx, cy) {
    unpin();
    pinned = it.id;
    node.classList.add("pinned");
    tip.classList.add("pinned");
    show(it, cx, cy);
    const tr = document.getElementById(`row-${it.id}`);
    if (tr) tr.classList.add("selected");
  }
  function unpin() {
    pinned = null;
    for (const n of document.querySelectorAll(".pinned, tr.selected")) n.classList.remove("pinned", "selected");
    hide();
  }

  // Wheel zooms around the pointer; dragging pans.
  let drag = null, dragged = false;
  plot.addEventListener("wheel", (e) => {
    e.preventDefault();
    const r = plot.getBoundingClientRect();
    const xr = r.width - M.right;
    const at = Math.min(Math.max((e.clientX - r.left - M.left) / (xr - M.left), 0), 1);
    const c = v0 + at * (v1 - v0);
    const factor = Math.exp(Math.sign(e.deltaY) * Math.min(Math.abs(e.deltaY), 200) * 0.002);
    const span = Math.min(Math.max((v1 - v0) * factor, 7), 365 * 60);
    v0 = c - at * span;
    v1 = v0 + span;
    draw();
  }, { passive: false });
  plot.addEventListener("pointerdown", (e) => {
    drag = { x: e.clientX, v0, v1 };
    dragged = false;
  });
  window.addEventListener("pointermove", (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    if (Math.abs(dx) > 3) dragged = true;
    if (!dragged) return;
    plot.querySelector("svg")?.classList.add("dragging");
    const per = (drag.v1 - drag.v0) / (plot.clientWidth - M.left - M.right);
    v0 = drag.v0 - dx * per;
    v1 = drag.v1 - dx * per;
    draw();
  });
  window.addEventListener("pointerup", () => {
    drag = null;
    setTimeout(() => { dragged = false; }, 0);
  });
  plot.addEventListener("click", () => dragged || unpin());
  document.addEventListener("keydown", (e) => e.key === "Escape" && unpin());
  window.addEventListener("resize", draw);
  draw();
})();
