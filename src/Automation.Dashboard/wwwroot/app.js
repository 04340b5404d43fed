// cm dashboard: one page, hash routes, DOM built with textContent only (no innerHTML of data).
"use strict";

const main = () => document.getElementById("main");

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}

async function api(path, options) {
  const opts = Object.assign({ headers: {} }, options || {});
  if (opts.method && opts.method !== "GET") opts.headers["X-CM-Dashboard"] = "1";
  if (opts.body && typeof opts.body !== "string") { opts.body = JSON.stringify(opts.body); opts.headers["Content-Type"] = "application/json"; }
  const res = await fetch(path, opts);
  const text = await res.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = { error: text }; }
  if (!res.ok) throw new Error((body && body.error) ? body.error + (body.fix ? "\n" + body.fix : "") : res.statusText);
  return body;
}

// Our own SVG charts, parsed as SVG and placed inline (no markup is ever parsed as HTML), so tests and users can inspect them.
async function svgInto(box, url) {
  try {
    const res = await fetch(url);
    const text = await res.text();
    if (!res.ok) throw new Error(text);
    const svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
    if (svg.nodeName !== "svg") throw new Error("not an SVG");
    box.replaceChildren(document.importNode(svg, true));
  } catch (e) { box.replaceChildren(errorBox(e)); }
}

function q(s) { return encodeURIComponent(s); }
function badge(status) { return h("span", { class: "badge status-" + status, "data-status": status }, status); }
function verdictBadge(r) {
  const text = r.validity || r.status;
  return h("span", { class: "badge verdict-" + r.verdict, "data-verdict": r.verdict, title: r.invalid_reason || r.error || "" }, text);
}
function kindBadge(kind) { return h("span", { class: "badge kind kind-" + kind }, kind); }
function errorBox(e) { return h("div", { class: "error" }, String(e.message || e)); }
function fmt(v) { if (v === null || v === undefined) return ""; if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6))); return String(v); }
function when(iso) { return (iso || "").replace("T", " ").slice(0, 19); }
function table(headers, rows, attrs) {
  return h("table", attrs || {}, h("thead", {}, h("tr", {}, headers.map(x => h("th", {}, x)))), h("tbody", {}, rows));
}
function kvTable(obj) {
  return table(["key", "value"], Object.entries(obj || {}).map(([k, v]) => h("tr", {}, h("td", {}, h("code", {}, k)), h("td", {}, typeof v === "object" ? JSON.stringify(v) : fmt(v)))));
}
function setPage(title, ...content) {
  const m = main();
  m.replaceChildren(h("h1", {}, title), ...content);
  document.title = title + " — cm dashboard";
}
function headlineText(r) { return (r.headlines || []).map(x => (x.scenario ? x.scenario + ": " : "") + x.display).join("; "); }
function accuracyText(a) {
  if (!a) return "";
  const value = Number.isInteger(a.value) ? a.value : a.value.toFixed(3);
  if (a.target === null || a.target === undefined) return a.metric + " " + value;
  return a.metric + " " + value + " (target ≥ " + a.target + (a.met ? ", met)" : ", NOT met)");
}
function labelChips(labels) {
  return h("span", { class: "labels" }, Object.entries(labels || {}).map(([k, v]) => h("span", { class: "label", "data-name": k, title: k }, k.replace("_", " ") + " " + v)));
}

let stopLive = null;
const routes = [
  [/^#\/runs$/, runsPage],
  [/^#\/run\/([0-9a-z-]+)$/, runPage],
  [/^#\/compare\/([0-9a-z,-]+)$/, comparePage],
  [/^#\/submit$/, submitPage],
  [/^#\/results$/, resultsPage],
  [/^#\/scripts$/, scriptsPage],
  [/^#\/script\/([^/]+)$/, scriptPage],
  [/^#\/cache$/, cachePage],
  [/^#\/cache\/([0-9a-zA-Z]+)$/, cacheEntryPage],
];

async function route() {
  if (stopLive) { stopLive(); stopLive = null; }
  const hash = location.hash || "#/runs";
  const section = hash.split("/")[1] || "";
  for (const a of document.querySelectorAll("header nav a")) {
    const target = a.getAttribute("href").split("/")[1];
    a.classList.toggle("active", section === target || section === target.replace(/s$/, "") || (target === "runs" && section === "compare"));
  }
  for (const [re, page] of routes) {
    const m = hash.match(re);
    if (m) {
      try { await page(...m.slice(1).map(decodeURIComponent)); }
      catch (e) { setPage("Error", errorBox(e)); }
      return;
    }
  }
  location.hash = "#/runs";
}

// ---------- runs ----------
const filterNames = ["text", "kind", "model", "scenario", "mode", "backend", "status", "from", "to"];

function filterState() { try { return JSON.parse(sessionStorage.getItem("run-filter") || "{}"); } catch { return {}; } }

function matches(r, f) {
  const l = r.labels || {};
  if (f.kind && r.kind !== f.kind) return false;
  for (const k of ["model", "scenario", "mode", "backend"]) if (f[k] && l[k] !== f[k]) return false;
  if (f.status) {
    if (f.status === "valid" || f.status === "invalid") { if (r.verdict !== f.status) return false; }
    else if (r.status !== f.status) return false;
  }
  const day = (r.started || "").slice(0, 10);
  if (f.from && (!day || day < f.from)) return false;
  if (f.to && (!day || day > f.to)) return false;
  if (f.text) {
    const hay = (r.search + " " + (r.validity || "") + " " + (r.invalid_reason || "") + " " + headlineText(r)).toLowerCase();
    for (const word of f.text.toLowerCase().split(/\s+/).filter(Boolean)) if (!hay.includes(word)) return false;
  }
  return true;
}

// Sweep points stay together under a header, where the sweep's newest point falls in the list.
function grouped(list) {
  const out = [], seen = new Set();
  for (const r of list) {
    if (!r.sweep) { out.push({ run: r }); continue; }
    if (seen.has(r.sweep.id)) continue;
    seen.add(r.sweep.id);
    const points = list.filter(x => x.sweep && x.sweep.id === r.sweep.id).sort((a, b) => a.sweep.index - b.sweep.index);
    out.push({ sweep: r.sweep, count: points.length });
    for (const p of points) out.push({ run: p });
  }
  return out;
}

async function runsPage() {
  const list = await api("/api/runs");
  const state = filterState();
  const values = k => [...new Set(list.map(r => (r.labels || {})[k]).filter(Boolean))].sort();
  const picks = new Set();
  const inputs = {};
  const select = (name, label, options) => {
    const s = h("select", { id: "filter-" + name }, h("option", { value: "" }, label + ": any"), options.map(o => h("option", { value: o[0] }, o[1])));
    s.value = state[name] || "";
    inputs[name] = s;
    return s;
  };
  const text = inputs.text = h("input", { type: "text", id: "filter-text", placeholder: "search: script, id, labels, inputs, reason", value: state.text || "" });
  const from = inputs.from = h("input", { type: "date", id: "filter-from", value: state.from || "", title: "started on or after" });
  const to = inputs.to = h("input", { type: "date", id: "filter-to", value: state.to || "", title: "started on or before" });
  const filters = h("div", { class: "toolbar filters" }, text,
    select("kind", "source", [["dashboard", "dashboard"], ["cli", "command line"], ["sweep", "sweep point"], ["folder", "results folder"]]),
    ["model", "scenario", "mode", "backend"].map(k => select(k, k, values(k).map(v => [v, v]))),
    select("status", "status", [["valid", "VALID"], ["invalid", "INVALID"], ["succeeded", "succeeded"], ["failed", "failed"], ["running", "running"], ["cancelled", "cancelled"]]),
    h("label", {}, "from ", from), h("label", {}, "to ", to),
    h("button", { type: "button", class: "secondary", id: "filter-clear", onclick: () => { for (const n of filterNames) inputs[n].value = ""; apply(); } }, "Clear"));
  const count = h("span", { id: "runs-count", class: "muted" });
  const compare = h("button", { id: "compare-button", disabled: true, onclick: () => { location.hash = "#/compare/" + [...picks].join(","); } }, "Compare selected");
  const body = h("div", { id: "runs-body" });
  const xMetric = h("select", { id: "pareto-x" }, ["throughput", "latency_p99", "latency_p90", "accuracy"].map(m => h("option", { value: m }, m)));
  const yMetric = h("select", { id: "pareto-y" }, ["accuracy", "throughput", "latency_p99", "latency_p90"].map(m => h("option", { value: m }, m)));
  const pareto = h("div", { id: "pareto-plot", class: "plot" });
  const latency = h("div", { id: "latency-plot", class: "plot" });
  const latencyCard = h("div", { class: "card" }, h("h2", {}, "Latency distributions (first 8 shown)"), latency);
  let shown = [];

  function drawPlots() {
    const ids = shown.filter(r => r.metrics && r.metrics[xMetric.value] !== undefined && r.metrics[yMetric.value] !== undefined).slice(0, 300).map(r => r.id);
    svgInto(pareto, "/api/plot/pareto.svg?x=" + q(xMetric.value) + "&y=" + q(yMetric.value) + "&ids=" + q(ids.join(",")));
    const withLatency = shown.filter(r => r.metrics && r.metrics.latency_p99 !== undefined).slice(0, 8).map(r => r.id);
    latencyCard.hidden = withLatency.length === 0;
    if (withLatency.length) svgInto(latency, "/api/plot/latency.svg?ids=" + q(withLatency.join(",")));
  }

  function apply() {
    const f = {};
    for (const n of filterNames) f[n] = inputs[n].value.trim();
    sessionStorage.setItem("run-filter", JSON.stringify(f));
    shown = list.filter(r => matches(r, f));
    count.textContent = shown.length + " of " + list.length + " run(s)";
    const rows = grouped(shown).map(item => {
      if (item.sweep) return h("tr", { class: "sweep-group", "data-sweep": item.sweep.id }, h("td", { colspan: 10 }, "Sweep ", h("strong", {}, item.sweep.name), " · " + item.count + " point(s)"));
      const r = item.run;
      const box = h("input", { type: "checkbox", "data-id": r.id, checked: picks.has(r.id), onchange: ev => {
        ev.target.checked ? picks.add(r.id) : picks.delete(r.id);
        compare.disabled = picks.size < 2 || picks.size > 8;
        compare.textContent = "Compare selected (" + picks.size + ")";
      } });
      const what = r.sweep ? "#" + r.sweep.index + " " + Object.entries(r.sweep.params).map(([k, v]) => k + "=" + v).join(" ") : r.script + (r.variations || []).map(v => ",_" + v).join("");
      return h("tr", { "data-id": r.id, class: "run-row verdict-row-" + r.verdict },
        h("td", {}, box), h("td", {}, h("a", { href: "#/run/" + r.id }, r.id), " ", kindBadge(r.kind)), h("td", {}, what),
        h("td", {}, labelChips(r.labels)), h("td", { class: "result" }, verdictBadge(r), r.invalid_reason ? h("div", { class: "reason" }, r.invalid_reason) : null),
        h("td", { class: "num" }, headlineText(r)), h("td", {}, accuracyText(r.accuracy)), h("td", {}, badge(r.status)),
        h("td", {}, when(r.started)), h("td", { class: "num" }, fmt(r.duration_s)));
    });
    body.replaceChildren(shown.length === 0
      ? h("p", { class: "muted" }, list.length === 0 ? "No runs yet: start one from a script's page, the Submit page, or `cm run script` on the command line." : "No run matches the filter.")
      : h("div", { class: "scroll" }, table(["", "run", "what", "labels", "result", "headline", "accuracy", "status", "started (UTC)", "duration (s)"], rows, { id: "runs-table" })));
    drawPlots();
  }
  for (const n of filterNames) inputs[n].addEventListener(n === "text" ? "input" : "change", () => { clearTimeout(apply._t); apply._t = setTimeout(apply, n === "text" ? 200 : 0); });
  xMetric.addEventListener("change", drawPlots);
  yMetric.addEventListener("change", drawPlots);
  setPage("Runs", filters, h("div", { class: "toolbar" }, compare, count, h("a", { href: "#/submit" }, "Start a submission"), h("a", { href: "#/results" }, "Figures and sweeps")),
    body,
    h("div", { class: "grid" },
      h("div", { class: "card" }, h("h2", {}, "Performance vs accuracy of the runs shown"), h("div", { class: "toolbar" }, "x ", xMetric, " y ", yMetric), pareto),
      latencyCard));
  apply();
}

// ---------- one run ----------
async function runPage(id) {
  const run = await api("/api/runs/" + id);
  const live = run.kind === "dashboard";
  const status = h("span", { id: "run-status" }, badge(run.status));
  const actions = h("div", { class: "toolbar", id: "run-actions" });
  if (live) actions.append(h("button", { class: "danger", id: "cancel-button", disabled: run.status !== "running", onclick: async ev => {
    ev.target.disabled = true;
    try { await api("/api/runs/" + id + "/cancel", { method: "POST" }); } catch (e) { alert(e.message); }
  } }, "Cancel"));
  if (run.can_rerun) actions.append(h("button", { id: "rerun-button", onclick: async ev => {
    ev.target.disabled = true;
    try { const r = await api("/api/runs/" + id + "/rerun", { method: "POST" }); location.hash = "#/run/" + r.id; }
    catch (e) { actions.append(errorBox(e)); ev.target.disabled = false; }
  } }, "Re-run with the same inputs"));
  if (run.can_delete) actions.append(h("button", { class: "danger", id: "delete-button", onclick: async () => {
    const what = run.kind === "dashboard" ? "Delete run " + id + " and its folder?" : "Delete the record of run " + id + "? The results folder " + (run.results_dir || "") + " stays.";
    if (!confirm(what)) return;
    try { await api("/api/runs/" + id, { method: "DELETE" }); location.hash = "#/runs"; } catch (e) { actions.append(errorBox(e)); }
  } }, "Delete"));

  const headline = h("div", { id: "headline" });
  const stages = h("div", { id: "stages-box" });
  const verdict = h("div", { id: "verdict-box" });
  const details = h("div", { id: "run-details" });
  function renderHeadline(r) {
    const lines = (r.headlines || []).map(x => h("div", { class: "figure" }, h("span", { class: "muted" }, (x.scenario || "") + (x.name !== x.unit ? " " + x.name : "") + " "), h("strong", {}, x.display)));
    headline.replaceChildren(h("div", { class: "card headline verdict-" + r.verdict, "data-verdict": r.verdict },
      h("div", { class: "headline-top" }, h("span", { class: "big badge verdict-" + r.verdict, id: "result-badge", "data-verdict": r.verdict }, r.validity || r.status), lines),
      r.invalid_reason ? h("div", { class: "reason", id: "invalid-reason" }, "INVALID: " + r.invalid_reason) : null,
      r.accuracy ? h("div", { id: "accuracy" }, "Accuracy: ", h("strong", {}, accuracyText(r.accuracy))) : null,
      h("div", { id: "labels" }, labelChips(r.labels)),
      // A workflow's error is its failed stage's, shown there.
      r.error && !(r.stages && r.stages.length > 1) ? h("div", { class: "error", id: "run-error" }, r.error) : null));
  }
  function renderStages(r) {
    if (!r.stages || r.stages.length < 2) return;
    stages.replaceChildren(h("div", { class: "card" }, h("h2", {}, "Workflow"),
      h("ol", { id: "stages", class: "stages" }, r.stages.map((s, i) => h("li", { "data-stage": s.name, "data-status": s.status, class: "stage-" + s.status, id: "stage-" + i },
        h("strong", {}, s.name), " ", h("code", {}, s.script), " ", badge(s.status), s.error ? h("div", { class: "reason", title: s.error }, s.error.length > 300 ? s.error.slice(0, 300) + "…" : s.error) : null)))));
  }
  function renderVerdict(v) {
    if (!v) return;
    verdict.replaceChildren(h("div", { class: "card verdict " + (v.passed ? "verdict-valid" : "verdict-invalid"), id: "verdict", "data-passed": String(v.passed) },
      h("h2", {}, "Submission checker: ", h("span", { class: "big badge verdict-" + (v.passed ? "valid" : "invalid") }, v.passed ? "PASS" : "FAIL")),
      h("p", { id: "verdict-summary" }, v.summary),
      (v.results || []).length ? h("ul", {}, v.results.map(x => h("li", {}, x))) : null,
      (v.errors || []).length ? h("ul", { class: "errors" }, v.errors.map(x => h("li", {}, x))) : null,
      v.report ? h("details", {}, h("summary", {}, "Full report"), h("pre", {}, v.report)) : null));
  }
  renderHeadline(run);
  renderStages(run);
  renderVerdict(run.checker);

  const title = [kindBadge(run.kind), " ", h("strong", {}, run.script), " ", (run.variations || []).map(v => "_" + v).join(", "), " ", status];
  if (run.sweep) title.push(" ", h("span", { class: "muted" }, "sweep " + run.sweep.name + " point #" + run.sweep.index));
  const content = [h("p", {}, title), actions, headline, stages, verdict];
  if (live) {
    const steps = h("ol", { class: "steps", id: "steps" });
    const stepItems = {};
    const log = h("pre", { class: "log", id: "log" });
    const progress = h("div", { class: "card progress", id: "progress", hidden: true });
    content.push(h("details", {}, h("summary", {}, "Command"), h("pre", {}, (run.stages || [{ command: run.command }]).map(s => (s.command || []).join(" ")).join("\n"))),
      progress, h("div", { class: "grid" }, h("div", { class: "card" }, h("h2", {}, "Steps"), steps), h("div", { class: "card" }, h("h2", {}, "Log"), log)));
    const onEvent = e => {
      if (e.type === "log") {
        log.append((e.step ? "[" + e.step + "] " : "") + e.line + "\n");
        if (log.textContent.length > 400000) log.textContent = log.textContent.slice(-300000);
        log.scrollTop = log.scrollHeight;
      } else if (e.type === "step") {
        const key = e.script + (e.variations || []).join(",") + (e.dir || "");
        let li = stepItems[key];
        if (!li) { li = stepItems[key] = h("li"); steps.append(li); }
        li.className = e.event;
        li.replaceChildren(h("code", {}, e.script + (e.variations || []).map(v => ",_" + v).join("")), " ",
          e.event === "finished" ? (e.from_cache ? "from cache" : "done") : e.event, e.error ? " — " + e.error : "");
      } else if (e.type === "progress") {
        progress.hidden = false;
        progress.replaceChildren(h("span", { class: "muted" }, (e.script || "") + " "), h("strong", { id: "progress-line" }, e.line));
      } else if (e.type === "stage") {
        const li = document.getElementById("stage-" + e.index);
        if (li) { li.dataset.status = e.status; li.className = "stage-" + e.status; li.querySelector(".badge").replaceWith(badge(e.status)); }
        steps.append(h("li", { class: "stage-mark" }, h("strong", {}, "— " + e.name + " (" + e.script + "): " + e.status)));
      } else if (e.type === "checker") {
        renderVerdict(e);
      } else if (e.type === "status") {
        status.replaceChildren(badge(e.status));
        const c = document.getElementById("cancel-button");
        if (c) c.disabled = e.status !== "running";
      }
    };
    content.push(details);
    setPage("Run " + id, ...content);
    const source = new EventSource("/api/runs/" + id + "/events");
    source.onmessage = m => onEvent(JSON.parse(m.data));
    const done = async () => {
      source.close();
      const fresh = await api("/api/runs/" + id);
      renderHeadline(fresh);
      renderStages(fresh);
      renderVerdict(fresh.checker);
      renderRunDetails(id, details, fresh);
    };
    source.addEventListener("end", done);
    source.onerror = () => { if (source.readyState === EventSource.CLOSED) done(); };
    stopLive = () => source.close();
    if (run.status !== "running" && run.status !== "cancelling") renderRunDetails(id, details, run);
  } else {
    content.push(details);
    setPage("Run " + id, ...content);
    renderRunDetails(id, details, run);
  }
}

function renderRunDetails(id, box, run) {
  const r = run.results || {};
  const file = p => "/api/runs/" + id + "/file?path=" + q(p);
  const parts = [];
  const mlperf = run.mlperf || [];
  if (mlperf.some(m => m.latency_ms)) {
    const plot = h("div", { class: "plot", id: "run-latency-plot" });
    svgInto(plot, "/api/plot/latency.svg?ids=" + q(id));
    parts.push(h("div", { class: "card" }, h("h2", {}, "Latency distribution"), plot));
  }
  if (mlperf.length) parts.push(h("div", { class: "card", id: "mlperf" }, h("h2", {}, "MLPerf results"), h("div", { class: "scroll" }, table(["scenario", "mode", "result", "headline", "accuracy (target)", "compliance", "settings", "folder"],
    mlperf.map(m => h("tr", { class: m.result_validity === "INVALID" ? "invalid" : null }, h("td", {}, m.scenario), h("td", {}, m.mode),
      h("td", {}, m.result_validity ? h("span", { class: "badge verdict-" + m.result_validity.toLowerCase() }, m.result_validity) : "", m.invalid_reason ? h("div", { class: "reason" }, m.invalid_reason) : null),
      h("td", { class: "num" }, m.headline ? fmt(m.headline.value) + " " + m.headline.unit + (m.headline.name !== m.headline.unit ? " (" + m.headline.name + ")" : "") : ""),
      h("td", {}, m.accuracy ? accuracyText(m.accuracy) : ""), h("td", {}, Object.entries(m.compliance || {}).map(([t, v]) => t + " " + v).join(" ")),
      h("td", {}, Object.entries(m.settings || {}).map(([k, v]) => k + "=" + v).join(", ")),
      h("td", {}, m.folder.startsWith("/") ? m.folder : h("a", { href: "/api/runs/" + id + "/zip?path=" + q(m.folder), title: "download as zip" }, m.folder))))))));
  if (run.record) {
    const rec = run.record;
    parts.push(h("div", { class: "card", id: "record" }, h("h2", {}, "Run record " + rec.id),
      h("p", {}, h("code", {}, "cm " + (rec.argv || []).join(" "))), h("p", { class: "muted" }, "in " + (rec.cwd || "") + (rec.machine && rec.machine.cpu ? " · " + rec.machine.cpu : "") + (rec.machine && rec.machine.os ? " · " + rec.machine.os : "")),
      h("details", {}, h("summary", {}, "Versions (" + Object.keys(rec.versions || {}).length + ")"), kvTable(rec.versions))));
  }
  if (Object.keys(run.inputs || {}).length || Object.keys(run.env || {}).length)
    parts.push(h("div", { class: "card", id: "inputs" }, h("h2", {}, "Inputs"), kvTable(Object.assign({}, run.inputs, Object.fromEntries(Object.entries(run.env || {}).map(([k, v]) => ["env." + k, v]))))));
  parts.push(h("details", { class: "card", id: "figures" }, h("summary", {}, "Exported env (" + Object.keys(run.figures || {}).length + " keys)"), kvTable(run.figures)));
  for (const s of r.sweeps || []) parts.push(h("p", {}, h("a", { href: "#/results" }, "sweep table " + s)));
  const downloads = [h("li", {}, h("a", { href: "/api/runs/" + id + "/zip", id: "download-zip" }, "whole run folder (zip)"))];
  for (const s of r.submissions || []) downloads.push(h("li", {}, h("a", { href: "/api/runs/" + id + "/zip?path=" + q(s) }, "submission tree " + s + " (zip)")));
  for (const c of r.ro_crates || []) downloads.push(h("li", {}, h("a", { href: "/api/runs/" + id + "/zip?path=" + q(c) }, "RO-Crate " + (c || ".") + " (zip)")));
  for (const p of r.reports || []) downloads.push(h("li", {}, h("a", { href: file(p), target: "_blank" }, "report " + p)));
  for (const p of r.records || []) downloads.push(h("li", {}, h("a", { href: file(p), target: "_blank" }, "run record " + p)));
  if ((r.files || []).length) {
    parts.push(h("div", { class: "card" }, h("h2", {}, "Downloads"), h("ul", {}, downloads)));
    parts.push(h("details", { class: "card" }, h("summary", {}, "Files (" + r.files.length + ")"),
      h("ul", {}, r.files.map(f => h("li", {}, h("a", { href: file(f.path), target: "_blank" }, f.path), " ", h("span", { class: "muted" }, f.size + " B"))))));
  }
  box.replaceChildren(...parts);
}

// ---------- compare ----------
async function comparePage(ids) {
  const c = await api("/api/compare?ids=" + q(ids));
  const n = c.ids.length;
  const head = h("tr", {}, h("th", {}, ""), c.runs.map(r => h("th", {}, h("a", { href: "#/run/" + r.id }, r.id), " ", verdictBadge(r))));
  const body = [];
  let section = null;
  const differing = new Set(c.rows.filter(r => r.differs).map(r => r.section));
  for (const row of c.rows) {
    if (row.section !== section) { section = row.section; body.push(h("tr", { class: "section" + (differing.has(section) ? " has-differences" : "") }, h("td", { colspan: n + 1 }, section))); }
    body.push(h("tr", { class: row.differs ? "differs" : null, "data-key": row.section + ":" + row.key }, h("td", { class: "key" }, h("code", {}, row.key)),
      row.values.map(v => h("td", {}, v === null ? "—" : v))));
  }
  const latency = h("div", { class: "plot", id: "compare-latency" });
  const onlyDiff = h("input", { type: "checkbox", id: "only-differences" });
  const tbl = h("table", { id: "compare-table" }, h("thead", {}, head), h("tbody", {}, body));
  onlyDiff.addEventListener("change", () => tbl.classList.toggle("only-differences", onlyDiff.checked));
  setPage("Compare runs", h("div", { class: "toolbar" }, h("label", {}, onlyDiff, " only rows that differ"), h("span", { class: "muted" }, "rows that differ are highlighted")),
    h("div", { class: "scroll" }, tbl),
    h("div", { class: "card" }, h("h2", {}, "Latency distributions"), latency));
  svgInto(latency, "/api/plot/latency.svg?ids=" + q(ids));
}

// ---------- submission workflow ----------
async function submitPage() {
  const [s, info] = await Promise.all([api("/api/scripts/app-mlperf-inference"), api("/api/info")]);
  const groups = {};
  for (const v of s.variations) if (v.group && v.group !== "mode" && !v.wildcard) (groups[v.group] = groups[v.group] || []).push(v);
  const radios = Object.entries(groups).map(([g, vs]) => h("fieldset", {}, h("legend", {}, g), vs.map(v =>
    h("label", { class: "var" }, h("input", { type: "radio", name: "sub-" + g, value: v.name, id: "sub-var-" + v.name, checked: v.default }), " _" + v.name, " "))));
  const field = (name, label, hint, value) => h("div", { class: "form-row" }, h("label", { for: "sub-" + name }, label),
    h("input", { type: "text", id: "sub-" + name, name, value: value || "", placeholder: hint || "" }));
  const message = h("div", { id: "submit-message" });
  const button = h("button", { id: "submit-button", type: "submit" }, "Run the submission workflow");
  const form = h("form", { id: "submission-form" },
    h("p", { class: "muted" }, "Three stages, each a cm run you can follow live: the benchmark with _submission (find-performance and re-runs of INVALID runs included), the tree generator, then the checker, whose verdict ends the run. MLPerf's rules ask for 600 s performance runs; for a quick try give a test query count or a short min duration."),
    h("h2", {}, "Benchmark"), radios,
    field("test_query_count", "--test_query_count", "e.g. 500: a short test run"),
    field("min_duration_ms", "--min_duration_ms", "MLPerf's 600000 by default"),
    field("target_qps", "--target_qps", "from find-performance when empty"),
    field("target_latency", "--target_latency", "ms, SingleStream/MultiStream"),
    field("max_reruns", "--max_reruns", "2"),
    field("results_dir", "--results_dir", "empty: a folder of the run's own; or an existing folder under " + (info.writable_roots || []).join(" or ")),
    h("h2", {}, "Submission"),
    h("div", { class: "form-row" }, h("label", { for: "sub-division" }, "--division"), h("select", { id: "sub-division" }, h("option", { value: "open" }, "open"), h("option", { value: "closed" }, "closed"))),
    field("submitter", "--submitter", "your organisation", "MyOrg"),
    h("div", { class: "form-row" }, h("label", { for: "sub-allow_invalid" }, "--allow_invalid"), h("input", { type: "checkbox", id: "sub-allow_invalid" }), h("span", { class: "muted" }, "package INVALID runs (open-division experiments); refused otherwise")),
    h("div", { class: "form-row" }, h("label", { for: "sub-skip_dataset_size_check" }, "--skip_dataset_size_check"), h("input", { type: "checkbox", id: "sub-skip_dataset_size_check", checked: true }), h("span", { class: "muted" }, "Fashion-MNIST stands in for resnet's 50,000 images (docs/submission.md §1)")),
    h("div", { class: "toolbar" }, button), message);
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const variations = Object.keys(groups).map(g => (form.querySelector("input[name='sub-" + g + "']:checked") || {}).value).filter(Boolean);
    const inputs = {};
    for (const n of ["test_query_count", "min_duration_ms", "target_qps", "target_latency", "max_reruns", "results_dir"]) {
      const v = document.getElementById("sub-" + n).value.trim();
      if (v) inputs[n] = v;
    }
    button.disabled = true;
    try {
      const r = await api("/api/workflows/submission", { method: "POST", body: {
        variations, inputs, division: document.getElementById("sub-division").value, submitter: document.getElementById("sub-submitter").value.trim(),
        allow_invalid: document.getElementById("sub-allow_invalid").checked, skip_dataset_size_check: document.getElementById("sub-skip_dataset_size_check").checked,
      } });
      location.hash = "#/run/" + r.id;
    } catch (e) { message.replaceChildren(errorBox(e)); button.disabled = false; }
  });
  setPage("Submission workflow", h("div", { class: "card" }, form));
}

// ---------- results ----------
async function resultsPage() {
  const data = await api("/api/results");
  const keys = data.figure_keys;
  const pick = h("select", { id: "figure-select" }, keys.map(k => h("option", { value: k }, k)));
  const preferred = keys.find(k => k === "CM_MLPERF_RESULT_VALUE") || keys.find(k => /SAMPLES_PER_SECOND|QPS|THROUGHPUT/i.test(k)) || keys[0];
  if (preferred) pick.value = preferred;
  const plot = h("div", { class: "plot", id: "runs-plot" });
  const draw = () => svgInto(plot, "/api/plot/runs.svg?figure=" + q(pick.value) + "&ids=" + q(data.runs.filter(r => r.figures[pick.value] !== undefined).slice(0, 20).reverse().map(r => r.id).join(",")));
  pick.addEventListener("change", draw);
  const sweepBox = h("div", { id: "sweeps" });
  for (const s of data.sweeps) sweepBox.append(await sweepCard(s));
  setPage("Figures and sweeps",
    keys.length ? h("div", { class: "card" }, h("div", { class: "toolbar" }, h("label", { for: "figure-select" }, "Figure across runs"), pick), plot) : h("p", { class: "muted" }, "No numeric figures yet."),
    h("h2", {}, "Sweeps"), data.sweeps.length ? sweepBox : h("p", { class: "muted" }, "No sweep tables (experiment.json of `cm run experiment` or `cm explore`) found."));
  if (preferred) draw();
}

async function sweepCard(s) {
  const t = await api("/api/sweep?id=" + q(s.id));
  const rows = t.rows || [];
  const axes = [...new Set(rows.flatMap(r => Object.keys(r.params || {})))];
  const figs = [...new Set(rows.flatMap(r => Object.keys(r.figures || {})))].filter(k => rows.some(r => !isNaN(parseFloat((r.figures || {})[k]))));
  const pick = h("select", {}, figs.map(k => h("option", { value: k }, k)));
  const plot = h("div", { class: "plot" });
  const draw = () => svgInto(plot, "/api/plot/sweep.svg?id=" + q(s.id) + "&figure=" + q(pick.value));
  pick.addEventListener("change", draw);
  if (figs.length) draw();
  return h("div", { class: "card", "data-sweep": s.id }, h("h2", {}, "Sweep " + s.name + " (" + s.points + " points)"), h("p", { class: "muted" }, s.table),
    h("div", { class: "scroll" }, table(["#", ...axes, "status", "duration (s)", ...figs.slice(0, 4)], rows.map(r => h("tr", {}, h("td", {}, h("a", { href: "#/run/" + r.run }, fmt(r.index))), axes.map(a => h("td", {}, fmt((r.params || {})[a]))),
      h("td", {}, badge(r.status)), h("td", { class: "num" }, fmt(r.duration_s)), figs.slice(0, 4).map(k => h("td", { class: "num" }, fmt((r.figures || {})[k]))))))),
    figs.length ? h("div", { class: "toolbar" }, "Plot", pick) : null, figs.length ? plot : null);
}

// ---------- scripts ----------
async function scriptsPage() {
  const input = h("input", { type: "text", id: "tag-search", placeholder: "tags, e.g. app,mlperf", value: sessionStorage.getItem("tags") || "" });
  const body = h("div");
  async function search() {
    sessionStorage.setItem("tags", input.value);
    try {
      const list = await api("/api/scripts?tags=" + q(input.value));
      body.replaceChildren(h("div", { class: "scroll" }, table(["script", "repository", "tags", "category", "cached", "variations", "inputs"], list.map(s => h("tr", {},
        h("td", {}, h("a", { href: "#/script/" + q(s.alias) }, s.alias)), h("td", {}, s.repo), h("td", {}, s.tags.join(", ")), h("td", {}, s.category),
        h("td", {}, s.cache ? "yes" : "no"), h("td", { class: "small" }, (s.variation_names || []).map(v => "_" + v).join(" ")), h("td", { class: "small" }, (s.input_names || []).join(" ")))))),
        h("p", { class: "muted" }, list.length + " script(s)"));
    } catch (e) { body.replaceChildren(errorBox(e)); }
  }
  input.addEventListener("input", () => { clearTimeout(input._t); input._t = setTimeout(search, 250); });
  setPage("Scripts", h("div", { class: "toolbar" }, h("label", { for: "tag-search" }, "Search by tags"), input), body);
  await search();
}

function treeList(node) {
  const label = [h("code", {}, node.script + node.variations.map(v => ",_" + v).join(""))];
  if (node.phase && node.phase !== "deps") label.push(" ", h("span", { class: "badge" }, node.phase));
  if (node.cached) label.push(" ", h("span", { class: "badge" }, "cached"));
  if (node.version) label.push(" ", h("span", { class: "muted" }, node.version));
  if (node.shared) label.push(" ", h("span", { class: "muted" }, "(shown above)"));
  return h("li", {}, label, node.deps && node.deps.length ? h("ul", { class: "tree" }, node.deps.map(treeList)) : null);
}

async function scriptPage(alias) {
  const s = await api("/api/scripts/" + q(alias));
  const chosen = new Set(s.variations.filter(v => v.default).map(v => v.name));
  const treeBox = h("div", { id: "dep-tree" });
  async function refreshTree() {
    try {
      const d = await api("/api/scripts/" + q(alias) + "?variations=" + q([...chosen].join(",")));
      treeBox.replaceChildren(d.tree ? h("ul", { class: "tree" }, treeList(d.tree)) : errorBox({ message: d.tree_error }));
    } catch (e) { treeBox.replaceChildren(errorBox(e)); }
  }
  // Variations: radio buttons per group, checkboxes for the rest; wildcard ones (name.#) take a value.
  const groups = {};
  for (const v of s.variations) (groups[v.group || ""] = groups[v.group || ""] || []).push(v);
  const wildcardInputs = [];
  const varBox = h("div", { id: "variations" }, Object.entries(groups).map(([g, vs]) => h("fieldset", {}, h("legend", {}, g || "other"),
    vs.map(v => {
      if (v.wildcard) {
        const inp = h("input", { type: "text", placeholder: v.name.replace("#", "VALUE"), "data-wildcard": v.name });
        wildcardInputs.push(inp);
        return h("span", { class: "form-row" }, h("label", {}, "_" + v.name), inp);
      }
      const box = h("input", { type: g ? "radio" : "checkbox", name: "var-" + (g || v.name), value: v.name, id: "var-" + v.name, checked: chosen.has(v.name) });
      box.addEventListener("change", () => {
        if (g) for (const o of vs) chosen.delete(o.name);
        if (box.checked) chosen.add(v.name); else chosen.delete(v.name);
        refreshTree();
      });
      return h("label", { class: "var" }, box, " _" + v.name + (v.default ? " (default)" : ""), " ");
    }))));
  const inputFields = s.inputs.map(i => {
    const inp = h("input", { type: "text", name: i.name, id: "input-" + i.name, placeholder: i.results_dir ? "empty: a folder of the run's own" : (i.default || "") });
    return h("div", { class: "form-row" }, h("label", { for: "input-" + i.name, title: i.env }, "--" + i.name), inp,
      h("span", { class: "muted" }, i.results_dir ? "or an existing folder inside the workspace (or a --results_dir of cm serve)" : (i.desc || i.env)));
  });
  const envRows = h("div", { id: "env-rows" });
  function addEnvRow() {
    envRows.append(h("div", { class: "form-row" }, h("input", { type: "text", class: "env-key", placeholder: "CM_KEY" }), h("input", { type: "text", class: "env-value", placeholder: "value" })));
  }
  addEnvRow();
  const message = h("div", { id: "run-message" });
  const runButton = h("button", { id: "run-button", type: "submit" }, "Run " + s.alias);
  const form = h("form", { id: "run-form" }, h("h2", {}, "Variations"), varBox, h("h2", {}, "Inputs"),
    inputFields.length ? inputFields : h("p", { class: "muted" }, "This script takes no inputs."),
    h("h2", {}, "Env"), envRows, h("button", { type: "button", class: "secondary", onclick: addEnvRow }, "+ env"),
    h("div", { class: "toolbar" }, runButton), message);
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const variations = [...chosen];
    for (const w of wildcardInputs) if (w.value.trim()) variations.push(w.dataset.wildcard.replace("#", w.value.trim()));
    const inputs = {};
    for (const f of form.querySelectorAll("input[name]")) if (f.type === "text" && f.value.trim()) inputs[f.name] = f.value.trim();
    const env = {};
    for (const row of envRows.children) {
      const k = row.querySelector(".env-key").value.trim(), v = row.querySelector(".env-value").value;
      if (k) env[k] = v;
    }
    runButton.disabled = true;
    try {
      const r = await api("/api/runs", { method: "POST", body: { script: s.alias, variations, inputs, env } });
      location.hash = "#/run/" + r.id;
    } catch (e) { message.replaceChildren(errorBox(e)); runButton.disabled = false; }
  });
  setPage(s.alias,
    h("p", {}, h("span", { class: "muted" }, "tags: "), s.tags.join(", "), "  ", h("span", { class: "muted" }, " uid " + s.uid + " · repository " + s.repo + " · " + (s.cache ? "cached" : "not cached") + (s.builtin ? " · built-in " + s.builtin : "") + " · " + s.meta_file)),
    h("div", { class: "grid" }, h("div", { class: "card" }, h("h2", {}, "Start a run"), form),
      h("div", {}, h("div", { class: "card" }, h("h2", {}, "Dependency tree"), treeBox),
        h("div", { class: "card" }, h("h2", {}, "Exports"), h("p", {}, s.new_env_keys.join(", ") || "—"), h("h2", {}, "Default env"), kvTable(s.default_env)),
        h("details", { class: "card" }, h("summary", {}, "Meta (_cm.json)"), h("pre", {}, JSON.stringify(s.meta, null, 2))))));
  refreshTree();
}

// ---------- cache ----------
async function cachePage() {
  const input = h("input", { type: "text", id: "cache-search", placeholder: "tags" });
  const body = h("div");
  async function load() {
    try {
      const list = await api("/api/cache?tags=" + q(input.value));
      body.replaceChildren(table(["key", "script", "variations", "version", "created"], list.map(e => h("tr", {},
        h("td", {}, h("a", { href: "#/cache/" + e.key }, h("code", {}, e.key.slice(0, 16)))), h("td", {}, e.script),
        h("td", {}, e.variations.map(v => "_" + v).join(", ")), h("td", {}, e.version || ""), h("td", {}, e.created.replace("T", " ").slice(0, 19))))),
        h("p", { class: "muted" }, list.length + " entr" + (list.length === 1 ? "y" : "ies")));
    } catch (e) { body.replaceChildren(errorBox(e)); }
  }
  input.addEventListener("change", load);
  setPage("Cache", h("div", { class: "toolbar" }, h("label", { for: "cache-search" }, "Filter by tags"), input), body);
  await load();
}

async function cacheEntryPage(key) {
  const e = await api("/api/cache/" + key);
  const remove = h("button", { class: "danger", id: "cache-remove", onclick: async () => {
    if (!confirm("Remove cache entry " + key.slice(0, 16) + "?")) return;
    try { await api("/api/cache/" + key, { method: "DELETE" }); location.hash = "#/cache"; } catch (err) { alert(err.message); }
  } }, "Remove entry");
  setPage(e.script + " (cache)",
    h("p", {}, h("code", {}, e.key), " ", e.version ? "version " + e.version : "", " ", h("span", { class: "muted" }, e.path)),
    h("div", { class: "toolbar" }, remove),
    h("div", { class: "grid" },
      h("div", {}, h("h2", {}, "Exported env"), kvTable(e.env), h("h2", {}, "Key inputs"), kvTable(e.key_inputs)),
      h("div", {}, h("h2", {}, "Detection evidence"), e.evidence ? h("pre", {}, JSON.stringify(e.evidence, null, 2)) : h("p", { class: "muted" }, "none"),
        h("h2", {}, "Files"), h("ul", {}, e.files.map(f => h("li", {}, h("a", { href: "/api/cache/" + key + "/file?path=" + q(f.path), target: "_blank" }, f.path), " ", h("span", { class: "muted" }, f.size + " B")))))));
}

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", async () => {
  try { const info = await api("/api/info"); document.getElementById("workspace").textContent = info.workspace; } catch { }
  route();
});
