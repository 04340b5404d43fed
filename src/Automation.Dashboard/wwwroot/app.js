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
  if (!res.ok) throw new Error((body && body.error) || res.statusText);
  return body;
}

function q(s) { return encodeURIComponent(s); }
function badge(status) { return h("span", { class: "badge status-" + status, "data-status": status }, status); }
function errorBox(e) { return h("div", { class: "error" }, String(e.message || e)); }
function fmt(v) { if (v === null || v === undefined) return ""; if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toPrecision(6); return String(v); }
function table(headers, rows) {
  return h("table", {}, h("thead", {}, h("tr", {}, headers.map(x => h("th", {}, x)))), h("tbody", {}, rows));
}
function kvTable(obj) {
  return table(["key", "value"], Object.entries(obj || {}).map(([k, v]) => h("tr", {}, h("td", {}, h("code", {}, k)), h("td", {}, typeof v === "object" ? JSON.stringify(v) : fmt(v)))));
}
function setPage(title, ...content) {
  const m = main();
  m.replaceChildren(h("h1", {}, title), ...content);
  document.title = title + " — cm dashboard";
}

let stopLive = null;
const routes = [
  [/^#\/scripts$/, scriptsPage],
  [/^#\/script\/([^/]+)$/, scriptPage],
  [/^#\/cache$/, cachePage],
  [/^#\/cache\/([0-9a-zA-Z]+)$/, cacheEntryPage],
  [/^#\/runs$/, runsPage],
  [/^#\/run\/([0-9a-f-]+)$/, runPage],
  [/^#\/results$/, resultsPage],
  [/^#\/compare\/([0-9a-f,-]+)$/, comparePage],
];

async function route() {
  if (stopLive) { stopLive(); stopLive = null; }
  const hash = location.hash || "#/scripts";
  for (const a of document.querySelectorAll("header nav a")) a.classList.toggle("active", hash.startsWith(a.getAttribute("href").replace(/s$/, "")));
  for (const [re, page] of routes) {
    const m = hash.match(re);
    if (m) {
      try { await page(...m.slice(1).map(decodeURIComponent)); }
      catch (e) { setPage("Error", errorBox(e)); }
      return;
    }
  }
  location.hash = "#/scripts";
}

// ---------- scripts ----------
async function scriptsPage() {
  const input = h("input", { type: "text", id: "tag-search", placeholder: "tags, e.g. app,mlperf", value: sessionStorage.getItem("tags") || "" });
  const body = h("div");
  async function search() {
    sessionStorage.setItem("tags", input.value);
    try {
      const list = await api("/api/scripts?tags=" + q(input.value));
      body.replaceChildren(table(["script", "tags", "category", "cached", "variations", "inputs"], list.map(s => h("tr", {},
        h("td", {}, h("a", { href: "#/script/" + q(s.alias) }, s.alias)), h("td", {}, s.tags.join(", ")), h("td", {}, s.category),
        h("td", {}, s.cache ? "yes" : "no"), h("td", { class: "num" }, s.variations), h("td", { class: "num" }, s.inputs)))),
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
  const inputFields = s.inputs.filter(i => !i.reserved).map(i => {
    const inp = h("input", { type: "text", name: i.name, id: "input-" + i.name, placeholder: i.default || "" });
    return h("div", { class: "form-row" }, h("label", { for: "input-" + i.name, title: i.env }, "--" + i.name), inp, h("span", { class: "muted" }, i.desc || i.env));
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
    h("p", {}, h("span", { class: "muted" }, "tags: "), s.tags.join(", "), "  ", h("span", { class: "muted" }, " uid " + s.uid + " · " + (s.cache ? "cached" : "not cached") + (s.builtin ? " · built-in " + s.builtin : "") + " · " + s.meta_file)),
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

// ---------- runs ----------
async function runsPage() {
  const list = await api("/api/runs");
  const picks = new Set();
  const compare = h("button", { id: "compare-button", disabled: true, onclick: () => { location.hash = "#/compare/" + [...picks].join(","); } }, "Compare selected");
  setPage("Runs", h("div", { class: "toolbar" }, compare, h("a", { href: "#/results" }, "Results and plots")),
    list.length === 0 ? h("p", { class: "muted" }, "No runs yet: start one from a script's page.") :
    table(["", "run", "script", "variations", "status", "duration (s)", "started"], list.map(r => {
      const box = h("input", { type: "checkbox", onchange: ev => { ev.target.checked ? picks.add(r.id) : picks.delete(r.id); compare.disabled = picks.size < 2; } });
      return h("tr", {}, h("td", {}, box), h("td", {}, h("a", { href: "#/run/" + r.id }, r.id)), h("td", {}, r.script),
        h("td", {}, (r.variations || []).map(v => "_" + v).join(", ")), h("td", {}, badge(r.status)), h("td", { class: "num" }, fmt(r.duration_s)),
        h("td", {}, (r.started || "").replace("T", " ").slice(0, 19)));
    })));
}

async function runPage(id) {
  const run = await api("/api/runs/" + id);
  const status = h("span", { id: "run-status" }, badge(run.status));
  const cancel = h("button", { class: "danger", id: "cancel-button", disabled: !(run.status === "running"), onclick: async () => {
    cancel.disabled = true;
    try { await api("/api/runs/" + id + "/cancel", { method: "POST" }); } catch (e) { alert(e.message); }
  } }, "Cancel");
  const steps = h("ol", { class: "steps", id: "steps" });
  const stepItems = {};
  const log = h("pre", { class: "log", id: "log" });
  const details = h("div", { id: "run-details" });
  function onEvent(e) {
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
    } else if (e.type === "status") {
      status.replaceChildren(badge(e.status));
      cancel.disabled = e.status !== "running";
    }
  }
  setPage("Run " + id,
    h("p", {}, h("strong", {}, run.script), " ", (run.variations || []).map(v => "_" + v).join(", "), " ", status, " ", cancel),
    h("details", {}, h("summary", {}, "Command"), h("pre", {}, (run.command || []).join(" "))),
    h("div", { class: "grid" }, h("div", { class: "card" }, h("h2", {}, "Steps"), steps), h("div", { class: "card" }, h("h2", {}, "Log"), log)),
    details);
  const source = new EventSource("/api/runs/" + id + "/events");
  source.onmessage = m => onEvent(JSON.parse(m.data));
  source.addEventListener("end", async () => { source.close(); await renderRunDetails(id, details); });
  source.onerror = () => { if (source.readyState === EventSource.CLOSED) renderRunDetails(id, details); };
  stopLive = () => source.close();
  if (run.status !== "running") renderRunDetails(id, details, run);
}

async function renderRunDetails(id, box, known) {
  const run = (known && known.status !== "running") ? known : await api("/api/runs/" + id);
  const r = run.results || {};
  const file = p => "/api/runs/" + id + "/file?path=" + q(p);
  const parts = [];
  if (run.error) parts.push(h("div", { class: "error", id: "run-error" }, run.error));
  parts.push(h("div", { class: "card", id: "figures" }, h("h2", {}, "Figures (new_env)"), kvTable(run.figures)));
  if ((r.summaries || []).length) parts.push(h("div", { class: "card" }, h("h2", {}, "MLPerf summaries"), table(["file", "scenario", "mode", "valid", "samples/s", "target latency (ns)"],
    r.summaries.map(s => h("tr", {}, h("td", {}, h("a", { href: file(s.path), target: "_blank" }, s.path)), h("td", {}, s.scenario || ""), h("td", {}, s.mode || ""),
      h("td", {}, s.valid === null || s.valid === undefined ? "" : s.valid ? "VALID" : "INVALID"), h("td", { class: "num" }, fmt(s.samples_per_second)), h("td", { class: "num" }, fmt(s.target_latency_ns)))))));
  for (const a of r.accuracy || []) parts.push(h("div", { class: "card" }, h("h2", {}, "Accuracy: " + a.path), h("pre", {}, a.text)));
  const downloads = [h("li", {}, h("a", { href: "/api/runs/" + id + "/zip", id: "download-zip" }, "whole run folder (zip)"))];
  for (const s of r.submissions || []) downloads.push(h("li", {}, h("a", { href: "/api/runs/" + id + "/zip?path=" + q(s) }, "submission tree " + s + " (zip)")));
  for (const c of r.ro_crates || []) downloads.push(h("li", {}, h("a", { href: "/api/runs/" + id + "/zip?path=" + q(c) }, "RO-Crate " + (c || ".") + " (zip)")));
  for (const p of r.reports || []) downloads.push(h("li", {}, h("a", { href: file(p), target: "_blank" }, "report " + p)));
  for (const p of r.records || []) downloads.push(h("li", {}, h("a", { href: file(p), target: "_blank" }, "run record " + p)));
  for (const p of r.sweeps || []) downloads.push(h("li", {}, h("a", { href: "#/results" }, "sweep table " + p)));
  parts.push(h("div", { class: "card" }, h("h2", {}, "Downloads"), h("ul", {}, downloads)));
  parts.push(h("details", { class: "card" }, h("summary", {}, "Files (" + (r.files || []).length + ")"),
    h("ul", {}, (r.files || []).map(f => h("li", {}, h("a", { href: file(f.path), target: "_blank" }, f.path), " ", h("span", { class: "muted" }, f.size + " B"))))));
  box.replaceChildren(...parts);
}

// ---------- results ----------
async function resultsPage() {
  const data = await api("/api/results");
  const keys = data.figure_keys;
  const pick = h("select", { id: "figure-select" }, keys.map(k => h("option", { value: k }, k)));
  const preferred = keys.find(k => k === "CM_MLPERF_RESULT_VALUE") || keys.find(k => /SAMPLES_PER_SECOND|QPS|THROUGHPUT/i.test(k)) || keys[0];
  if (preferred) pick.value = preferred;
  const plot = h("img", { class: "plot", id: "runs-plot", alt: "figure across runs" });
  const draw = () => { plot.src = "/api/plot/runs.svg?figure=" + q(pick.value) + "&ids=" + q(data.runs.filter(r => r.status === "succeeded").slice(0, 20).reverse().map(r => r.id).join(",")); };
  pick.addEventListener("change", draw);
  const rank = k => /RESULT_VALUE|ACCURACY$|P90|QPS|SAMPLES_PER_SECOND/.test(k) ? 0 : 1;
  const shown = keys.filter(k => data.runs.some(r => r.figures[k] !== undefined)).sort((a, b) => rank(a) - rank(b)).slice(0, 8);
  const runsTable = table(["run", "script", "status", ...shown], data.runs.map(r => h("tr", {}, h("td", {}, h("a", { href: "#/run/" + r.id }, r.id)), h("td", {}, r.script), h("td", {}, badge(r.status)),
    shown.map(k => h("td", { class: "num" }, fmt(r.figures[k]))))));
  const sweepBox = h("div", { id: "sweeps" });
  for (const s of data.sweeps) sweepBox.append(await sweepCard(s));
  setPage("Results", h("h2", {}, "Runs"), h("div", { class: "scroll" }, runsTable),
    keys.length ? h("div", { class: "card" }, h("div", { class: "toolbar" }, h("label", { for: "figure-select" }, "Plot figure"), pick), plot) : h("p", { class: "muted" }, "No numeric figures yet."),
    h("h2", {}, "Sweeps"), data.sweeps.length ? sweepBox : h("p", { class: "muted" }, "No sweep tables (experiment.json) in the runs' folders."));
  if (preferred) draw();
}

async function sweepCard(s) {
  const t = await api("/api/sweep?run=" + q(s.run) + "&path=" + q(s.path));
  const rows = t.rows || [];
  const axes = [...new Set(rows.flatMap(r => Object.keys(r.params || {})))];
  const figs = [...new Set(rows.flatMap(r => Object.keys(r.figures || {})))].filter(k => rows.some(r => !isNaN(parseFloat((r.figures || {})[k]))));
  const pick = h("select", {}, figs.map(k => h("option", { value: k }, k)));
  const img = h("img", { class: "plot", alt: "sweep plot" });
  const draw = () => { img.src = "/api/plot/sweep.svg?run=" + q(s.run) + "&path=" + q(s.path) + "&figure=" + q(pick.value); };
  pick.addEventListener("change", draw);
  if (figs.length) draw();
  return h("div", { class: "card" }, h("h2", {}, s.path + " (run " + s.run + ")"),
    table(["#", ...axes, "status", "duration (s)", ...figs.slice(0, 4)], rows.map(r => h("tr", {}, h("td", {}, fmt(r.index)), axes.map(a => h("td", {}, fmt((r.params || {})[a]))),
      h("td", {}, badge(r.status)), h("td", { class: "num" }, fmt(r.duration_s)), figs.slice(0, 4).map(k => h("td", { class: "num" }, fmt((r.figures || {})[k])))))),
    figs.length ? h("div", { class: "toolbar" }, "Plot", pick) : null, figs.length ? img : null);
}

async function comparePage(ids) {
  const c = await api("/api/compare?ids=" + q(ids));
  const header = ["", ...c.ids];
  const rows = [];
  for (const [k, vals] of Object.entries(c.settings)) rows.push(h("tr", {}, h("th", {}, k), vals.map(v => h("td", {}, v || ""))));
  for (const [k, vals] of Object.entries(c.figures)) {
    const differs = new Set(vals.map(v => JSON.stringify(v))).size > 1;
    rows.push(h("tr", { class: differs ? "differs" : null }, h("th", {}, h("code", {}, k)), vals.map(v => h("td", { class: "num" }, fmt(v)))));
  }
  setPage("Compare runs", table(header, rows),
    h("img", { class: "plot", alt: "comparison", src: "/api/plot/runs.svg?ids=" + q(ids) + "&figure=" + q(Object.keys(c.figures).find(k => k === "CM_MLPERF_RESULT_VALUE") || Object.keys(c.figures).find(k => /SAMPLES_PER_SECOND|QPS/i.test(k)) || Object.keys(c.figures)[0] || "") }));
}

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", async () => {
  try { const info = await api("/api/info"); document.getElementById("workspace").textContent = info.workspace; } catch { }
  route();
});
