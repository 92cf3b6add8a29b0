// Shadowgate dashboard. Plain JavaScript, no dependencies, no network access beyond this admin listener: it reads
// /compare, /config_dump, /config, /stats/versions and /compare/pairs, and posts to /rollback and /compare/reset.
// Every text shown is set with textContent (response bodies are untrusted); charts are SVG built here.
"use strict";

const POLL_MS = 2000;            // live refresh
const MAX_BACKOFF_MS = 5000;     // while the gateway is unreachable
const SERIES_KEEP = 180;         // samples kept per version (6 minutes at 2 s)
const RATE_WINDOW_MS = 10000;    // request rate over the last 10 s
const ACTION_HEADER = "x-shadowgate-action"; // see BrowserRequestGuard: cross-site pages cannot send it

const VERDICT_TEXT = { PASS: "✔ PASS", FAIL: "✖ FAIL", INSUFFICIENT_DATA: "… INSUFFICIENT DATA" };
const VERDICT_RANK = { FAIL: 0, INSUFFICIENT_DATA: 1, PASS: 2 };
const DROP_REASONS = {
  dropped_inflight: "in-flight budget", dropped_cpu: "CPU budget", dropped_buffer: "per-request buffer budget",
  dropped_global_buffer: "global buffer budget", dropped_overflow: "connection pool overflow",
};
const STYLES = [ // colour + dash + marker, so the versions differ without colour too
  { cls: "v1", color: "#0072B2", dash: "", marker: "circle" },
  { cls: "v2", color: "#D55E00", dash: "6 4", marker: "square" },
  { cls: "v3", color: "#009E73", dash: "2 3", marker: "diamond" },
  { cls: "v4", color: "#CC79A7", dash: "10 3 2 3", marker: "circle" },
];

const state = {
  compare: null, dump: null, config: null, stats: null, pairs: null, pairsRoute: null,
  pairsStale: false, lastOk: null, downSince: null, startedAt: null, series: new Map(), actionResult: null, renderedPair: null,
};

// ------------------------------------------------------------------ DOM helpers

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}
function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
function svg(tag, attrs, ...children) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children.flat(Infinity)) if (c) el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}
const pct = (x, digits = 1) => x === null || x === undefined || isNaN(x) ? "—" : (100 * x).toFixed(digits) + "%";
const num = (x) => x === null || x === undefined ? "—" : Number(x).toLocaleString("en");
const ms = (x) => x === null || x === undefined || isNaN(x) ? "—" : (x < 10 ? x.toFixed(1) : Math.round(x)) + " ms";
const time = (iso) => iso ? new Date(iso).toLocaleTimeString("en-GB") : "—";
const routeHref = (key) => "#/route/" + encodeURIComponent(key);
const pairHref = (id) => "#/pair/" + encodeURIComponent(id);

function verdictBadge(verdict) {
  const v = verdict || "other";
  return h("span", { class: "badge " + (VERDICT_TEXT[v] ? v : "other") }, VERDICT_TEXT[v] || v);
}

// ------------------------------------------------------------------ data

async function getJson(path) {
  const r = await fetch("../" + path, { cache: "no-store", headers: { accept: "application/json" } });
  if (!r.ok) {
    const e = new Error(path + ": HTTP " + r.status);
    e.status = r.status;
    throw e;
  }
  return r.json();
}
async function optionalJson(path) { // endpoints a gateway may not serve (404): null
  try { return await getJson(path); } catch (e) { if (e.status === 404) return null; throw e; }
}

async function poll() {
  let delay = POLL_MS;
  try {
    const [compare, dump, config, stats] = await Promise.all([
      optionalJson("compare"), optionalJson("config_dump"), optionalJson("config"), optionalJson("stats/versions")]);
    // Example pairs are fetched when a route page opens and on request, not on every refresh: a list that
    // reshuffles under the pointer cannot be clicked.
    const route = currentView().route;
    const pairs = route === undefined ? null : route === state.pairsRoute && !state.pairsStale ? state.pairs
        : await optionalJson("compare/pairs?limit=50&route=" + encodeURIComponent(route));
    state.pairsStale = false;
    if (stats && state.startedAt && stats.startedAt !== state.startedAt) {
      state.series.clear(); // the gateway restarted: its counters began again
    }
    Object.assign(state, { compare, dump, config, stats, pairs, pairsRoute: route, lastOk: new Date() });
    if (stats) { state.startedAt = stats.startedAt; record(stats); }
    const wasDown = state.downSince;
    state.downSince = null;
    setLive(wasDown ? "Reconnected · live, updated " + state.lastOk.toLocaleTimeString("en-GB")
        : "Live · updated " + state.lastOk.toLocaleTimeString("en-GB"), false);
    render(false);
  } catch (e) {
    if (!state.downSince) state.downSince = new Date();
    delay = Math.min(MAX_BACKOFF_MS, POLL_MS * 2);
    setLive("Gateway unreachable since " + state.downSince.toLocaleTimeString("en-GB") + " — retrying every "
        + delay / 1000 + " s" + (state.lastOk ? "; showing data from " + state.lastOk.toLocaleTimeString("en-GB") : ""),
        true);
  }
  setTimeout(poll, delay);
}

function setLive(text, down) {
  const live = document.getElementById("live");
  if (live.textContent !== text) live.textContent = text;
  live.classList.toggle("down", down);
}

/** Keeps a short history per version so rates and error rates over time can be drawn. */
function record(stats) {
  const now = Date.now();
  const add = (key, requests, errors) => {
    let s = state.series.get(key);
    if (!s) state.series.set(key, s = []);
    const last = s[s.length - 1];
    if (last && requests < last.requests) s.length = 0; // counters went back: a restart
    s.push({ t: now, requests, errors });
    if (s.length > SERIES_KEEP) s.shift();
  };
  for (const p of stats.primary || []) add("p|" + p.service + "|" + p.version, p.requests, p.errors);
  for (const m of stats.mirror || []) add("m|" + m.service + "|" + m.subset, m.requests, m.errors);
}

function rateOf(keys) {
  let rate = null;
  for (const key of keys) {
    const s = state.series.get(key);
    if (!s || s.length < 2) continue;
    const last = s[s.length - 1];
    let first = s[0];
    for (const x of s) if (last.t - x.t <= RATE_WINDOW_MS) { first = x; break; }
    if (first === last) first = s[s.length - 2];
    rate = (rate || 0) + (last.requests - first.requests) * 1000 / Math.max(1, last.t - first.t);
  }
  return rate;
}

// ------------------------------------------------------------------ model: routes joined with metrics

function clustersByName(dump) {
  const m = new Map();
  for (const c of (dump && dump.clusters) || []) m.set(c.name, c);
  return m;
}
function versionsOf(cluster) {
  const v = new Set();
  for (const e of cluster.endpoints || []) if (e.labels && e.labels.version) v.add(e.labels.version);
  if (!v.size && cluster.subset) v.add(cluster.subset);
  return v;
}
function sumHistograms(list) {
  const out = { count: 0, sumMillis: 0, bucketsMillis: [], cumulativeCounts: [] };
  for (const hst of list) {
    if (!hst || !hst.bucketsMillis) continue;
    if (!out.bucketsMillis.length) { out.bucketsMillis = hst.bucketsMillis.slice(); out.cumulativeCounts = hst.bucketsMillis.map(() => 0); }
    hst.bucketsMillis.forEach((b, i) => {
      const j = out.bucketsMillis.indexOf(b);
      if (j >= 0) out.cumulativeCounts[j] += hst.cumulativeCounts[i];
    });
    out.count += hst.count;
    out.sumMillis += hst.sumMillis;
  }
  return out;
}
/** The q-quantile from cumulative bucket counts, interpolated inside the bucket (an estimate: say so with ≈). */
function quantile(hst, q) {
  if (!hst || !hst.count) return null;
  const target = q * hst.count;
  let prevBound = 0, prevCount = 0;
  for (let i = 0; i < hst.bucketsMillis.length; i++) {
    const c = hst.cumulativeCounts[i];
    if (c >= target) {
      const inBucket = c - prevCount;
      return prevBound + (inBucket ? (target - prevCount) / inBucket : 1) * (hst.bucketsMillis[i] - prevBound);
    }
    prevBound = hst.bucketsMillis[i]; prevCount = c;
  }
  return prevBound; // beyond the last bound
}

/** Every route: from the serving config, joined with the comparison report and the per-version metrics. */
function buildRoutes() {
  const clusters = clustersByName(state.dump);
  const stats = state.stats || { primary: [], mirror: [], mirrorSkipped: [] };
  const reports = new Map(((state.compare && state.compare.routes) || []).map((r) => [r.route, r]));
  const routes = new Map();
  for (const l of (state.dump && state.dump.listeners) || []) {
    for (const vh of l.virtual_hosts || []) {
      for (const r of vh.routes || []) {
        const o = r.origin || {};
        const key = o.key ? (r.name ? o.key + " " + r.name : o.key) : (r.name || "(unnamed route)");
        if (routes.has(key)) continue;
        const a = r.action || {};
        const total = a.total_weight || (a.destinations || []).reduce((s, d) => s + (d.weight || 0), 0) || 1;
        const versions = [];
        for (const d of a.destinations || []) {
          const c = clusters.get(d.cluster) || { host: d.host, subset: d.subset, endpoints: [] };
          const vs = versionsOf(c);
          const series = stats.primary.filter((p) => p.service === d.host && vs.has(p.version));
          versions.push({
            role: "primary", label: [...vs].join("+") || d.subset || d.host, subset: d.subset, share: (d.weight || 0) / total,
            requests: series.reduce((s, p) => s + p.requests, 0), errors: series.reduce((s, p) => s + p.errors, 0),
            latency: sumHistograms(series.map((p) => p.latency)),
            rate: rateOf(series.map((p) => "p|" + p.service + "|" + p.version)),
            seriesKeys: series.map((p) => "p|" + p.service + "|" + p.version),
          });
        }
        for (const m of a.mirrors || []) {
          const c = clusters.get(m.cluster) || { host: m.host, subset: m.subset, endpoints: [] };
          const series = stats.mirror.filter((x) => x.service === m.host && x.subset === (m.subset || ""));
          const outcomes = {};
          for (const s of series) for (const [k, v] of Object.entries(s.outcomes || {})) outcomes[k] = (outcomes[k] || 0) + v;
          const skipped = {};
          for (const s of stats.mirrorSkipped || []) if (s.cluster === m.cluster) skipped[s.reason] = (skipped[s.reason] || 0) + s.count;
          versions.push({
            role: "mirror", label: [...versionsOf(c)].join("+") || m.subset || m.host, subset: m.subset,
            mirrorPercent: m.percentage, requests: series.reduce((s, x) => s + x.requests, 0),
            errors: series.reduce((s, x) => s + x.errors, 0), latency: sumHistograms(series.map((x) => x.latency)),
            rate: rateOf(series.map((x) => "m|" + x.service + "|" + x.subset)),
            seriesKeys: series.map((x) => "m|" + x.service + "|" + x.subset), outcomes, skipped,
          });
        }
        routes.set(key, { key, match: r.match, actionType: a.type, versions, report: reports.get(key) || null,
          origin: o, host: vh.name });
      }
    }
  }
  for (const [key, rep] of reports) { // compared under an earlier config: still shown
    if (!routes.has(key)) routes.set(key, { key, versions: [], report: rep, gone: true });
  }
  return [...routes.values()].sort((a, b) =>
    (VERDICT_RANK[a.report && a.report.verdict] ?? 3) - (VERDICT_RANK[b.report && b.report.verdict] ?? 3)
    || a.key.localeCompare(b.key));
}

function mirrorOutcomeSummary(v) {
  const completed = (v.outcomes && v.outcomes.completed) || 0;
  const dropped = [], failed = [];
  for (const [k, n] of Object.entries(v.outcomes || {})) {
    if (k === "completed" || !n) continue;
    (k.startsWith("dropped_") ? dropped : failed).push([k, n]);
  }
  for (const [k, n] of Object.entries(v.skipped || {})) if (n) (k.startsWith("dropped_") ? dropped : failed).push([k, n]);
  return { completed, dropped, failed };
}

// ------------------------------------------------------------------ views

function currentView() {
  const hash = location.hash || "#/";
  let m;
  if ((m = hash.match(/^#\/route\/(.+)$/))) return { name: "route", route: decodeURIComponent(m[1]) };
  if ((m = hash.match(/^#\/pair\/(.+)$/))) return { name: "pair", id: decodeURIComponent(m[1]) };
  if (hash === "#/config") return { name: "config" };
  return { name: "overview" };
}

/** Re-renders the current view, keeping keyboard focus on the same control across refreshes. */
function render(navigated) {
  const view = currentView();
  const main = document.getElementById("main");
  if (view.name === "pair" && !navigated && state.renderedPair === view.id) return; // a pair does not change
  const focusKey = document.activeElement && document.activeElement.getAttribute("data-focus-key");
  const openDetails = [...main.querySelectorAll("details[open][data-focus-key]")].map((d) => d.getAttribute("data-focus-key"));
  const content = view.name === "route" ? routeView(view.route) : view.name === "config" ? configView()
      : view.name === "pair" ? pairView(view.id) : overview();
  main.replaceChildren(...content);
  for (const key of openDetails) { const d = main.querySelector('details[data-focus-key="' + CSS.escape(key) + '"]'); if (d) d.open = true; }
  if (navigated) {
    main.focus();
    const title = main.querySelector("h1");
    document.title = (title ? title.textContent + " · " : "") + "Shadowgate dashboard";
  } else if (focusKey) {
    const el = document.querySelector('[data-focus-key="' + CSS.escape(focusKey) + '"]');
    if (el && el !== document.activeElement) el.focus();
  }
}

function overview() {
  const routes = buildRoutes();
  const c = state.compare || {};
  const out = [h("h1", {}, "Routes")];
  if (!state.lastOk) return [...out, h("p", {}, "Waiting for the gateway…")];
  out.push(h("p", { class: "muted" }, "Compared " + num(c.compared) + " requests since " + time(c.since)
      + " (identical " + num(c.identical) + ", different " + num(c.different) + ", noise only " + num(c.noiseOnly)
      + "). Worst first. Rates are per destination version over the last 10 s."));
  const table = h("table", { id: "routes" },
    h("caption", {}, "Every route: its versions, traffic split, mirror, and whether v2 is safe to promote"),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Route"), h("th", { scope: "col" }, "Verdict and reason"),
      h("th", { scope: "col" }, "Version"), h("th", { scope: "col" }, "Traffic"),
      h("th", { scope: "col", class: "num" }, "Requests/s"), h("th", { scope: "col", class: "num" }, "Error rate"),
      h("th", { scope: "col", class: "num" }, "Latency p50 / p95"), h("th", { scope: "col" }, "Mirror outcomes"))));
  if (!routes.length) table.appendChild(h("tbody", {}, h("tr", {}, h("td", { colspan: 8 }, "No routes are configured."))));
  routes.forEach((r, i) => {
    const rows = Math.max(1, r.versions.length);
    const body = h("tbody", { "data-route": r.key });
    const rep = r.report;
    const first = h("tr", {},
      h("th", { scope: "rowgroup", rowspan: rows },
        h("a", { href: routeHref(r.key), class: "route-link", "data-focus-key": "route-" + i }, r.key),
        r.gone ? h("span", { class: "reason" }, "not in the serving config") : null),
      h("td", { rowspan: rows, class: "verdict" }, rep ? [verdictBadge(rep.verdict), h("span", { class: "reason" }, rep.verdictLine || "")]
          : h("span", { class: "muted" }, "not compared yet")));
    const versionCells = (v) => {
      const s = v.role === "mirror" ? mirrorOutcomeSummary(v) : null;
      return [
        h("td", {}, h("span", { class: "ver " + (v.role === "mirror" ? "v2" : "v1") }, v.label)),
        h("td", {}, v.role === "mirror" ? "mirror " + (v.mirrorPercent ?? 100) + "%" : pct(v.share, 0) + " of traffic"),
        h("td", { class: "num" }, v.rate === null ? "—" : v.rate.toFixed(1)),
        h("td", { class: "num" }, v.requests ? pct(v.errors / v.requests) + " (" + num(v.errors) + ")" : "—"),
        h("td", { class: "num" }, v.latency.count ? "≈" + ms(quantile(v.latency, 0.5)) + " / ≈" + ms(quantile(v.latency, 0.95)) : "—"),
        h("td", {}, s ? [
          "completed " + num(s.completed),
          " · dropped " + num(s.dropped.reduce((a, [, n]) => a + n, 0)),
          s.dropped.length ? " (" + s.dropped.map(([k, n]) => (DROP_REASONS[k] || k) + " " + num(n)).join(", ") + ")" : "",
          " · failed " + num(s.failed.reduce((a, [, n]) => a + n, 0)),
          s.failed.length ? " (" + s.failed.map(([k, n]) => k.replace(/_/g, " ") + " " + num(n)).join(", ") + ")" : "",
        ] : h("span", { class: "muted" }, "—")),
      ];
    };
    if (r.versions.length) append(first, versionCells(r.versions[0]));
    else append(first, [h("td", { colspan: 6, class: "muted" }, r.actionType ? r.actionType + " (no upstream versions)" : "—")]);
    body.appendChild(first);
    for (const v of r.versions.slice(1)) body.appendChild(h("tr", {}, versionCells(v)));
    table.appendChild(body);
  });
  out.push(table);
  out.push(configSummary());
  out.push(resetSection());
  const release = releaseSection();
  if (release) out.push(release);
  return out;
}

/**
 * The release: steps, current step, gates with values and thresholds, history, and approve / pause / resume / abort.
 * There is no release API yet, so there is nothing to show. When one exists: fetch it in poll() (optionalJson, so an
 * older gateway without it still works), keep it in state.release, return its section here, and send its actions
 * through act() (same-origin POST with the action header).
 */
function releaseSection() {
  return null;
}

function configSummary() {
  const cfg = state.config;
  if (!cfg) return h("p", { class: "muted" }, "This gateway does not serve /config.");
  return h("section", { "aria-labelledby": "cfg-h" }, h("h2", { id: "cfg-h" }, "Config"),
    h("p", {}, "Serving ", h("code", { id: "config-version" }, cfg.version || "—"), " since " + time(cfg.applied_at)
      + " from " + (cfg.sources || []).join(", ") + " · ", h("a", { href: "#/config", "data-focus-key": "cfg-link" },
      "history and rollback (" + (cfg.history || []).length + " events)")));
}

function resetSection() {
  return h("section", { "aria-labelledby": "reset-h" }, h("h2", { id: "reset-h" }, "Comparison"),
    h("p", {}, "Forget every comparison so far and start counting again (for example after deploying a new v2)."),
    h("button", { type: "button", id: "reset-compare", class: "danger", "data-focus-key": "reset",
      onclick: () => act("compare/reset", "Reset the comparison report? Every count and learned noise is forgotten.",
        (r) => "Comparison reset.") }, "Reset comparison"),
    actionResult());
}

function actionResult() {
  return h("p", { class: "result", id: "action-result", role: "status" }, state.actionResult || "");
}

async function act(path, question, describe) {
  if (!window.confirm(question)) return;
  let text;
  try {
    const r = await fetch("../" + path, { method: "POST", cache: "no-store", headers: { [ACTION_HEADER]: "dashboard" } });
    const body = await r.text();
    let json = null;
    try { json = JSON.parse(body); } catch (e) { /* plain-text answer */ }
    text = r.ok ? describe(json) : "Refused (HTTP " + r.status + "): " + ((json && (json.message || json.error)) || body.trim());
  } catch (e) {
    text = "Failed: the gateway did not answer (" + e.message + ")";
  }
  state.actionResult = text + " (" + new Date().toLocaleTimeString("en-GB") + ")";
  const el = document.getElementById("action-result");
  if (el) el.textContent = state.actionResult;
}

function configView() {
  const cfg = state.config;
  const out = [h("h1", {}, "Config")];
  if (!cfg) return [...out, h("p", {}, state.lastOk ? "This gateway does not serve /config." : "Waiting for the gateway…")];
  out.push(h("p", {}, "Serving ", h("code", { id: "config-version" }, cfg.version || "—"), " since " + time(cfg.applied_at)
      + " from " + (cfg.sources || []).join(", ") + "."));
  if (cfg.drift || cfg.sources_match_serving === false) {
    out.push(h("p", { id: "config-drift" }, "The config sources say something else than what serves"
      + (cfg.drift ? ": " + (typeof cfg.drift === "string" ? cfg.drift : JSON.stringify(cfg.drift)) : ".")));
  }
  out.push(h("p", {}, "Rolling back restores the version that served before this one, at once; each rollback steps one "
      + "version further back. The files are not changed: the next edit that changes their content applies again."));
  out.push(h("button", { type: "button", id: "rollback", class: "danger", "data-focus-key": "rollback",
    onclick: () => act("rollback", "Roll back one version?",
      (r) => r && r.rolled_back ? "Rolled back from " + r.from_version + " to " + r.to_version + "." : (r && r.message) || "Done.") },
    "Roll back to the previous config"));
  out.push(actionResult());
  const t = h("table", { id: "config-history" }, h("caption", {}, "History, newest first"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "When"), h("th", { scope: "col" }, "Outcome"),
      h("th", { scope: "col" }, "Version"), h("th", { scope: "col" }, "Sources"), h("th", { scope: "col" }, "Changes and messages"))));
  const body = h("tbody");
  for (const e of cfg.history || []) {
    body.appendChild(h("tr", {}, h("td", {}, time(e.at)), h("td", {}, e.outcome.replace(/_/g, " ")),
      h("td", {}, typeof e.number === "number" ? "#" + e.number + " " : "", h("code", {}, e.version || "—")), h("td", {}, (e.sources || []).join(", ")),
      h("td", {}, (e.changes || []).concat(e.messages || []).map((m) => h("div", {}, m)))));
  }
  t.appendChild(body);
  out.push(t);
  return out;
}

// Report keys this page knows; any other key the report adds is shown as it is, so new evidence is never hidden.
const KNOWN_ROUTE_KEYS = new Set(["route", "primaryVersion", "mirrorVersion", "groups", "compared", "identical",
  "different", "noiseOnly", "skipped", "differenceRate", "fields", "verdict", "verdictLine", "noiseSamples",
  "verdictSince", "verdictReason", "errors", "latency"]);
const KNOWN_FIELD_KEYS = new Set(["path", "kind", "detail", "description", "count", "noise", "noiseReason", "examples",
  "decision", "evidenceSource", "evidence", "compared", "primaryDiffers", "samples", "mirrorRate", "primaryRate",
  "pValue", "adjustedPValue", "primaryExamples"]);

function routeView(key) {
  const r = buildRoutes().find((x) => x.key === key);
  const out = [h("p", {}, h("a", { href: "#/", "data-focus-key": "back" }, "← All routes")), h("h1", {}, "Route " + key)];
  if (!r) return [...out, h("p", {}, state.lastOk ? "No such route in the serving config or the report." : "Waiting for the gateway…")];
  const rep = r.report;
  const v1 = (rep && rep.primaryVersion) || "v1", v2 = (rep && rep.mirrorVersion) || "v2";
  out.push(h("section", { "aria-labelledby": "verdict-h" }, h("h2", { id: "verdict-h" }, "Verdict"),
    rep ? h("p", { id: "verdict" }, verdictBadge(rep.verdict), " ", rep.verdictLine || "") : h("p", {}, "Not compared yet."),
    rep ? evidence(rep) : null));
  if (rep) out.push(fieldsTable(rep, v1, v2));
  out.push(charts(r, v1, v2));
  if (rep) out.push(groupsTable(key));
  out.push(pairsList(key));
  return out;
}

function evidence(rep) {
  const cards = [["Compared", num(rep.compared)], ["Identical", num(rep.identical)], ["Different", num(rep.different)],
    ["Noise only", num(rep.noiseOnly)], ["Difference rate", pct(rep.differenceRate)],
    ["Skipped", num(Object.values(rep.skipped || {}).reduce((a, b) => a + b, 0))]];
  if (typeof rep.noiseSamples === "number") cards.push([rep.primaryVersion ? rep.primaryVersion + " vs " + rep.primaryVersion + " samples" : "Noise samples", num(rep.noiseSamples)]);
  const extra = Object.entries(rep).filter(([k]) => !KNOWN_ROUTE_KEYS.has(k));
  const checks = [["Errors", rep.errors], ["Latency", rep.latency]].filter(([, c]) => c && typeof c === "object");
  return [h("div", { class: "cards", id: "evidence" }, cards.map(([k, v]) => h("div", { class: "card" }, h("div", { class: "k" }, k), h("div", { class: "v" }, v)))),
    rep.verdictReason || rep.verdictSince ? h("p", { id: "verdict-reason" }, "Decided" + (rep.verdictSince ? " at " + time(rep.verdictSince) : "")
      + (rep.verdictReason ? ": " + rep.verdictReason : "")) : null,
    checks.length ? h("ul", { id: "checks" }, checks.map(([name, c]) => h("li", {}, h("strong", {}, name + ": "),
      c.summary || "", c.regression === true ? h("span", { class: "real" }, " — worse in " + (rep.mirrorVersion || "v2"))
        : c.regression === false ? " — no significant regression" : "",
      typeof c.pValue === "number" ? h("span", { class: "muted" }, " (p = " + c.pValue.toPrecision(2) + ")") : ""))) : null,
    extra.length ? h("dl", { id: "more-evidence" }, extra.map(([k, v]) => [h("dt", {}, k), h("dd", {}, plain(v))])) : null];
}

/** Any JSON value as readable text: lists as lines, objects as key: value. */
function plain(v) {
  if (v === null || v === undefined) return "—";
  if (Array.isArray(v)) return h("ul", {}, v.map((x) => h("li", {}, plain(x))));
  if (typeof v === "object") return h("ul", {}, Object.entries(v).map(([k, x]) => h("li", {}, k + ": ", plain(x))));
  if (typeof v === "number" && v > 0 && v < 1 && !Number.isInteger(v)) return pct(v, 2);
  return String(v);
}

/** A rate the report may carry under one of several names (the verdict work adds them), or null. */
function findRate(field, pattern) {
  for (const [k, v] of Object.entries(field)) if (pattern.test(k) && typeof v === "number") return v;
  return null;
}

function fieldsTable(rep, v1, v2) {
  const fields = (rep.fields || []).slice().sort((a, b) => (a.noise === b.noise ? 0 : a.noise ? 1 : -1) || b.count - a.count);
  // The decision cell says "Noise" (or "Real difference", or "Undecided") first; its evidence follows on its own line.
  const extraKeys = [...new Set(fields.flatMap((f) => Object.keys(f)).filter((k) => !KNOWN_FIELD_KEYS.has(k)
      && !/v2.*v1|mirror.*rate|v1.*v1|noise.*rate|baseline/i.test(k)))];
  const t = h("table", { id: "fields" }, h("caption", {}, "Fields that differ, real differences first, then by count"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Field"), h("th", { scope: "col" }, "Difference"),
      h("th", { scope: "col", class: "num" }, v2 + " vs " + v1), h("th", { scope: "col", class: "num" }, v1 + " vs " + v1),
      h("th", { scope: "col" }, "Decision"), extraKeys.map((k) => h("th", { scope: "col" }, k)),
      h("th", { scope: "col" }, "Examples (" + v1 + " → " + v2 + ")"))));
  const body = h("tbody");
  fields.forEach((f, i) => {
    const v2v1 = findRate(f, /v2.*v1|mirror.*rate/i) ?? (rep.compared ? f.count / rep.compared : null);
    const v1v1 = findRate(f, /v1.*v1|primary.*rate|noise.*rate|baseline/i);
    const noise = f.decision ? f.decision === "NOISE" : f.noise;
    const decision = f.decision && f.decision !== "NOISE" && f.decision !== "DIFFERENT"
      ? h("span", {}, "Undecided") : noise ? "Noise — " + (f.noiseReason || "ignored") : h("span", { class: "real" }, "Real difference");
    const stats = [f.evidence && f.evidence !== f.noiseReason ? h("span", { class: "reason" }, f.evidence) : null,
      typeof f.pValue === "number" ? h("span", { class: "reason" }, "p = " + f.pValue.toPrecision(2)
        + (typeof f.adjustedPValue === "number" ? ", adjusted " + f.adjustedPValue.toPrecision(2) : "")
        + (f.evidenceSource ? " · evidence: " + f.evidenceSource.toLowerCase().replace(/_/g, " ") : "")) : null];
    body.appendChild(h("tr", { "data-path": f.path, class: noise ? "noise-yes" : "" },
      h("th", { scope: "row" }, h("code", {}, f.path)),
      h("td", {}, f.description || f.kind || ""),
      h("td", { class: "num" }, pct(v2v1) + " (" + num(f.count) + ")"),
      h("td", { class: "num" }, v1v1 === null ? h("span", { title: "no same-version samples in the report" }, "—")
        : pct(v1v1) + (typeof f.primaryDiffers === "number" ? " (" + num(f.primaryDiffers) + " of " + num(f.samples) + ")" : "")),
      h("td", { class: "decision" }, decision, stats),
      extraKeys.map((k) => h("td", {}, plain(f[k]))),
      h("td", {}, (f.examples || []).map((e) => h("div", {},
        e.requestId ? h("a", { href: pairHref(e.requestId), "data-focus-key": "ex-" + i + "-" + e.requestId }, "pair") : null,
        " ", h("code", {}, (e.primaryValue ?? "(absent)") + " → " + (e.mirrorValue ?? "(absent)")))))));
  });
  if (!fields.length) body.appendChild(h("tr", {}, h("td", { colspan: 6 }, "No differing fields.")));
  t.appendChild(body);
  return h("section", { "aria-labelledby": "fields-h" }, h("h2", { id: "fields-h" }, "Differing fields"),
    h("p", { class: "muted" }, v2 + " vs " + v1 + ": share of compared requests where the field differs between the "
      + "versions. " + v1 + " vs " + v1 + ": how often it differs between two answers of " + v1
      + " itself, from requests the gateway sent to " + v1 + " twice (noise samples; shown when the report has them)."), t);
}

function groupsTable(key) {
  const groups = ((state.compare && state.compare.groups) || []).filter((g) => g.route === key);
  const t = h("table", { id: "groups" }, h("caption", {}, "Per endpoint"), h("thead", {}, h("tr", {},
    h("th", { scope: "col" }, "Request"), h("th", { scope: "col", class: "num" }, "Compared"),
    h("th", { scope: "col", class: "num" }, "Different"), h("th", { scope: "col", class: "num" }, "Error rate primary / mirror"),
    h("th", { scope: "col", class: "num" }, "p95 primary / mirror"), h("th", { scope: "col" }, "Verdict"))));
  const body = h("tbody");
  for (const g of groups) {
    body.appendChild(h("tr", {}, h("th", { scope: "row" }, g.method + " " + g.pathTemplate),
      h("td", { class: "num" }, num(g.compared)), h("td", { class: "num" }, pct(g.differenceRate)),
      h("td", { class: "num" }, pct(g.primary && g.primary.errorRate) + " / " + pct(g.mirror && g.mirror.errorRate)),
      h("td", { class: "num" }, ms(g.primary && g.primary.latency && g.primary.latency.p95Millis) + " / "
        + ms(g.mirror && g.mirror.latency && g.mirror.latency.p95Millis)),
      h("td", {}, verdictBadge(g.verdict), h("span", { class: "reason" }, g.verdictLine || ""))));
  }
  t.appendChild(body);
  return h("section", { "aria-labelledby": "groups-h" }, h("h2", { id: "groups-h" }, "Endpoints"), t);
}

function pairsList(key) {
  const sec = h("section", { "aria-labelledby": "pairs-h" }, h("h2", { id: "pairs-h" }, "Example pairs"));
  const p = state.pairs;
  if (!p || state.pairsRoute !== key) return append(sec, [h("p", { class: "muted" }, p === null && state.lastOk
      ? "This gateway does not keep whole pairs (/compare/pairs)." : "Loading…")]);
  const order = { different: 0, noise_only: 1, identical: 2, skipped: 3 };
  const pairs = p.pairs.slice().sort((a, b) => (order[a.outcome] ?? 4) - (order[b.outcome] ?? 4)).slice(0, 12);
  append(sec, [h("p", { class: "muted" }, "The last " + p.capacity + " compared pairs are kept whole; real differences "
      + "first. This list stays as it is while you read it: ", h("button", { type: "button", id: "refresh-pairs",
      "data-focus-key": "refresh-pairs", onclick: () => { state.pairsStale = true; } }, "Show newer pairs"),
      " (on the next refresh).")]);
  const t = h("table", { id: "pairs" }, h("caption", {}, "Recent request pairs of this route"), h("thead", {}, h("tr", {},
    h("th", { scope: "col" }, "x-request-id"), h("th", { scope: "col" }, "Request"), h("th", { scope: "col" }, "Status"),
    h("th", { scope: "col" }, "Outcome"), h("th", { scope: "col" }, "Differs at"))));
  const body = h("tbody");
  pairs.forEach((x) => body.appendChild(h("tr", { "data-outcome": x.outcome },
    h("td", {}, h("a", { href: pairHref(x.requestId), class: "pair-link", "data-focus-key": "pair-" + x.requestId }, x.requestId)),
    h("td", {}, x.method + " " + x.path), h("td", {}, x.primaryStatus + " / " + x.mirrorStatus),
    h("td", {}, x.outcome.replace(/_/g, " ")), h("td", {}, x.differingPaths.map((d) => h("code", {}, d + " "))))));
  if (!pairs.length) body.appendChild(h("tr", {}, h("td", { colspan: 5 }, "None kept yet.")));
  t.appendChild(body);
  return append(sec, [t]);
}

// ------------------------------------------------------------------ charts (SVG, each with a text alternative)

function charts(r, v1, v2) {
  const lines = r.versions.filter((v) => v.latency && v.latency.count).map((v, i) => ({
    name: v.label + (v.role === "mirror" ? " (mirror)" : ""), style: STYLES[i % STYLES.length], v }));
  return h("section", { "aria-labelledby": "charts-h" }, h("h2", { id: "charts-h" }, "Latency and errors"),
    h("div", { class: "charts" }, latencyChart(lines), errorChart(r.versions.map((v, i) => ({
      name: v.label + (v.role === "mirror" ? " (mirror)" : ""), style: STYLES[i % STYLES.length], v })))));
}

function legend(lines) {
  return h("p", { class: "legend" }, lines.map((l) => h("span", { style: null }, h("span", { class: "swatch " + l.style.cls,
    "aria-hidden": "true" }), l.name, "  ")));
}

function latencyChart(lines) {
  const fig = h("figure", { id: "latency-chart" });
  const desc = lines.map((l) => l.name + ": " + num(l.v.latency.count) + " answers, median ≈" + ms(quantile(l.v.latency, 0.5))
      + ", p95 ≈" + ms(quantile(l.v.latency, 0.95)) + ", p99 ≈" + ms(quantile(l.v.latency, 0.99))).join("; ");
  fig.appendChild(h("figcaption", {}, "Latency distribution, versions drawn over each other: share of answers per "
      + "latency bucket. " + (desc || "No answers yet.")));
  if (!lines.length) return fig;
  const bounds = lines[0].v.latency.bucketsMillis;
  const shares = lines.map((l) => l.v.latency.cumulativeCounts.map((c, i) => (c - (i ? l.v.latency.cumulativeCounts[i - 1] : 0)) / l.v.latency.count));
  let last = 0;
  shares.forEach((s) => s.forEach((x, i) => { if (x > 0) last = Math.max(last, i); }));
  const n = Math.min(bounds.length, last + 2);
  const W = 480, H = 220, L = 40, B = 40, T = 10, R = 24;
  const x = (i) => L + (n > 1 ? i * (W - L - R) / (n - 1) : 0), y = (f) => T + (1 - f) * (H - T - B);
  const g = svg("svg", { viewBox: "0 0 " + W + " " + H, width: "100%", role: "img", "aria-label": "Latency distribution. " + desc });
  for (const f of [0, 0.25, 0.5, 0.75, 1]) {
    g.appendChild(svg("line", { x1: L, x2: W - R, y1: y(f), y2: y(f), stroke: "#e3e3e3" }));
    g.appendChild(svg("text", { x: L - 4, y: y(f) + 4, "text-anchor": "end" }, Math.round(f * 100) + "%"));
  }
  for (let i = 0; i < n; i++) g.appendChild(svg("text", { x: x(i), y: H - B + 14, "text-anchor": "middle" }, "≤" + bounds[i]));
  g.appendChild(svg("text", { x: (W + L) / 2, y: H - 6, "text-anchor": "middle" }, "latency bucket (ms)"));
  lines.forEach((l, k) => {
    const pts = shares[k].slice(0, n).map((f, i) => x(i) + "," + y(f)).join(" ");
    g.appendChild(svg("polyline", { points: pts, fill: "none", stroke: l.style.color, "stroke-width": 2.5, "stroke-dasharray": l.style.dash }));
    shares[k].slice(0, n).forEach((f, i) => g.appendChild(marker(l.style, x(i), y(f))));
  });
  fig.appendChild(g);
  fig.appendChild(legend(lines));
  const table = h("table", {}, h("caption", {}, "Share of answers per latency bucket"), h("thead", {}, h("tr", {},
    h("th", { scope: "col" }, "Bucket"), lines.map((l) => h("th", { scope: "col", class: "num" }, l.name)))));
  const body = h("tbody");
  for (let i = 0; i < n; i++) body.appendChild(h("tr", {}, h("th", { scope: "row" }, "≤ " + bounds[i] + " ms"),
    lines.map((l, k) => h("td", { class: "num" }, pct(shares[k][i])))));
  table.appendChild(body);
  fig.appendChild(h("details", { "data-focus-key": "lat-table" }, h("summary", {}, "Data table"), table));
  return fig;
}

function marker(style, cx, cy) {
  const a = { fill: style.color };
  if (style.marker === "square") return svg("rect", { ...a, x: cx - 3.5, y: cy - 3.5, width: 7, height: 7 });
  if (style.marker === "diamond") return svg("path", { ...a, d: "M" + cx + " " + (cy - 4.5) + "l4.5 4.5l-4.5 4.5l-4.5 -4.5z" });
  return svg("circle", { ...a, cx, cy, r: 3.5 });
}

/** Error rate per refresh interval, from the counters this page has seen since it opened. */
function errorChart(lines) {
  const fig = h("figure", { id: "error-chart" });
  const pts = lines.map((l) => {
    const out = [];
    for (const key of l.v.seriesKeys || []) {
      const s = state.series.get(key) || [];
      for (let i = 1; i < s.length; i++) {
        const dr = s[i].requests - s[i - 1].requests;
        if (dr > 0) out.push({ t: s[i].t, f: (s[i].errors - s[i - 1].errors) / dr });
      }
    }
    return out.sort((a, b) => a.t - b.t);
  });
  const desc = lines.map((l, k) => {
    const p = pts[k];
    if (!p.length) return l.name + ": no requests while this page was open";
    return l.name + ": now " + pct(p[p.length - 1].f) + ", highest " + pct(Math.max(...p.map((q) => q.f)))
        + " over the last " + Math.max(1, Math.round((Date.now() - p[0].t) / 60000)) + " min";
  }).join("; ");
  fig.appendChild(h("figcaption", {}, "Error rate over time (5xx and no answer, per refresh). " + desc
      + ". Totals since start: " + lines.map((l) => l.name + " " + num(l.v.errors) + " of " + num(l.v.requests)).join(", ") + "."));
  const W = 480, H = 220, L = 40, B = 30, T = 10, R = 10;
  const now = Date.now(), span = SERIES_KEEP * POLL_MS;
  const maxF = Math.max(0.05, ...pts.flat().map((p) => p.f));
  const x = (t) => L + (1 - (now - t) / span) * (W - L - R), y = (f) => T + (1 - f / maxF) * (H - T - B);
  const g = svg("svg", { viewBox: "0 0 " + W + " " + H, width: "100%", role: "img", "aria-label": "Error rate over time. " + desc });
  for (const f of [0, maxF / 2, maxF]) {
    g.appendChild(svg("line", { x1: L, x2: W - R, y1: y(f), y2: y(f), stroke: "#e3e3e3" }));
    g.appendChild(svg("text", { x: L - 4, y: y(f) + 4, "text-anchor": "end" }, pct(f, 0)));
  }
  g.appendChild(svg("text", { x: L, y: H - 8 }, "−" + Math.round(span / 60000) + " min"));
  g.appendChild(svg("text", { x: W - R, y: H - 8, "text-anchor": "end" }, "now"));
  lines.forEach((l, k) => {
    const p = pts[k].filter((q) => now - q.t <= span);
    if (!p.length) return;
    g.appendChild(svg("polyline", { points: p.map((q) => x(q.t) + "," + y(q.f)).join(" "), fill: "none",
      stroke: l.style.color, "stroke-width": 2.5, "stroke-dasharray": l.style.dash }));
    const lastP = p[p.length - 1];
    g.appendChild(marker(l.style, x(lastP.t), y(lastP.f)));
  });
  fig.appendChild(g);
  fig.appendChild(legend(lines));
  return fig;
}

// ------------------------------------------------------------------ one pair, side by side

async function loadPair(id) {
  const main = document.getElementById("main");
  let pair;
  try {
    pair = await getJson("compare/pairs?id=" + encodeURIComponent(id));
  } catch (e) {
    state.renderedPair = id;
    main.replaceChildren(h("p", {}, h("a", { href: "#/", "data-focus-key": "back" }, "← All routes")),
      h("h1", {}, "Request " + id), h("p", {}, e.status === 404
        ? "This pair is no longer kept whole (only the most recent pairs are). The report's examples still show the "
          + "values at the differing fields." : "Could not load the pair: " + e.message));
    main.focus();
    return;
  }
  state.renderedPair = id;
  main.replaceChildren(...pairContent(pair));
  document.title = "Request " + id + " · Shadowgate dashboard";
  main.focus();
}

function pairView(id) {
  if (state.renderedPair !== id) { state.renderedPair = id; loadPair(id); }
  return [h("h1", {}, "Request " + id), h("p", {}, "Loading…")];
}

function pairContent(p) {
  const q = p.request;
  const real = new Map(), noise = new Map();
  for (const d of p.differences) (d.noise ? noise : real).set(d.location, d);
  const out = [h("p", {}, h("a", { href: routeHref(q.route), "data-focus-key": "back" }, "← Route " + q.route)),
    h("h1", {}, q.method + " " + q.path),
    h("dl", { class: "request", id: "request" },
      h("dt", {}, "x-request-id"), h("dd", {}, h("code", { id: "request-id" }, q.requestId || "—")),
      q.traceId ? [h("dt", {}, "trace id"), h("dd", {}, h("code", {}, q.traceId))] : null,
      h("dt", {}, "Received"), h("dd", {}, q.at || "—"), h("dt", {}, "Authority"), h("dd", {}, q.authority || "—"),
      h("dt", {}, "Route"), h("dd", {}, q.route),
      h("dt", {}, "Outcome"), h("dd", { id: "pair-outcome" }, p.outcome.replace(/_/g, " ") + " · " + real.size
        + " real difference(s), " + noise.size + " noise" + (p.bodySkipped ? " · body not compared: " + p.bodySkipped : ""))),
    h("p", { class: "legend" }, h("mark", { class: "diff" }, "highlighted"), " real difference · ",
      h("mark", { class: "noise" }, "dotted"), " noise (does not count against the verdict)"),
    h("div", { class: "pair" }, side(p.primary, "primary", real, noise), side(p.mirror, "mirror", real, noise))];
  const t = h("table", { id: "differences" }, h("caption", {}, "Differences"), h("thead", {}, h("tr", {},
    h("th", { scope: "col" }, "Where"), h("th", { scope: "col" }, "What"), h("th", { scope: "col" }, p.primary.version || "primary"),
    h("th", { scope: "col" }, p.mirror.version || "mirror"), h("th", { scope: "col" }, "Decision"))));
  const body = h("tbody");
  for (const d of p.differences) body.appendChild(h("tr", { class: d.noise ? "noise-yes" : "diff" },
    h("th", { scope: "row" }, h("code", {}, d.location)), h("td", {}, d.detail || d.kind),
    h("td", {}, h("code", {}, d.primaryValue ?? "(absent)")), h("td", {}, h("code", {}, d.mirrorValue ?? "(absent)")),
    h("td", {}, d.noise ? "Noise — " + (d.noiseReason || "") : h("span", { class: "real" }, "Real difference"))));
  if (!p.differences.length) body.appendChild(h("tr", {}, h("td", { colspan: 5 }, "The answers are identical.")));
  t.appendChild(body);
  out.push(h("h2", {}, "Differences"), t);
  if (p.differencesTruncated) out.push(h("p", {}, "More differences exist than are listed."));
  return out;
}

function side(r, role, real, noise) {
  const markOf = (loc) => real.has(loc) ? "diff" : noise.has(loc) ? "noise" : null;
  const el = h("section", { class: "side " + role, "aria-label": (r.version || role) + " answer", id: role + "-side" },
    h("h2", {}, h("span", { class: "ver " + (role === "mirror" ? "v2" : "v1") }, r.version || role), role === "mirror" ? " (mirror)" : " (primary: what the user got)"));
  const status = r.failure ? "failed: " + r.failure : String(r.status);
  const sm = markOf("status") || markOf("failure");
  el.appendChild(h("p", {}, "Status ", sm ? h("mark", { class: sm }, status) : h("strong", {}, status), " · " + ms(r.latencyMillis)));
  const ht = h("table", { class: "headers" }, h("caption", {}, "Headers"));
  const hb = h("tbody");
  for (const hd of r.headers) {
    const m = markOf("header:" + hd.name);
    hb.appendChild(h("tr", { class: m === "diff" ? "diff" : "" }, h("th", { scope: "row" }, hd.name),
      h("td", {}, m ? h("mark", { class: m }, hd.value) : hd.value)));
  }
  ht.appendChild(hb);
  el.appendChild(ht);
  el.appendChild(h("h3", {}, "Body" + (r.bodyTruncated ? " (cut at the capture bound)" : "")));
  const pre = h("pre", { class: "body", tabindex: "0", "aria-label": (r.version || role) + " body" });
  if (r.body === null) pre.textContent = "(" + r.bodyBytes + " bytes, not text: binary or still compressed)";
  else if (!r.body.length) pre.textContent = "(empty)";
  else {
    let parsed, ok = false;
    try { parsed = JSON.parse(r.body); ok = typeof parsed === "object" && parsed !== null; } catch (e) { /* text */ }
    if (ok) renderJson(pre, parsed, "$", 0, markOf);
    else { const m = markOf("body") || [...real.keys()].some((k) => k.startsWith("body:")) && "diff"; pre.appendChild(m ? h("mark", { class: m }, r.body) : document.createTextNode(r.body)); }
    if (ok && markOf("body")) pre.classList.add("whole-body-diff");
  }
  el.appendChild(pre);
  return el;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Pretty-prints JSON into {@code parent}, wrapping each value whose path differs (same path syntax as compare). */
function renderJson(parent, value, path, depth, markOf) {
  const pad = "  ".repeat(depth);
  const wrap = (content) => { const m = markOf(path); return m ? h("mark", { class: m, "data-path": path }, content) : content; };
  if (Array.isArray(value)) {
    const box = h("span");
    box.appendChild(document.createTextNode("["));
    value.forEach((v, i) => {
      box.appendChild(document.createTextNode("\n" + pad + "  "));
      renderJson(box, v, path + "[" + i + "]", depth + 1, markOf);
      if (i < value.length - 1) box.appendChild(document.createTextNode(","));
    });
    box.appendChild(document.createTextNode((value.length ? "\n" + pad : "") + "]"));
    parent.appendChild(wrap(box));
  } else if (value && typeof value === "object") {
    const box = h("span");
    box.appendChild(document.createTextNode("{"));
    const keys = Object.keys(value);
    keys.forEach((k, i) => {
      const childPath = IDENT.test(k) ? path + "." + k : path + "['" + k.replace(/\\/g, "\\\\").replace(/'/g, "\\'") + "']";
      box.appendChild(document.createTextNode("\n" + pad + "  "));
      // The key and its value are marked together; the value itself is not marked a second time.
      const entry = h("span", {}, JSON.stringify(k) + ": ");
      renderJson(entry, value[k], childPath, depth + 1, (p) => p === childPath ? null : markOf(p));
      const m = markOf(childPath);
      box.appendChild(m ? h("mark", { class: m, "data-path": childPath }, entry) : entry);
      if (i < keys.length - 1) box.appendChild(document.createTextNode(","));
    });
    box.appendChild(document.createTextNode((keys.length ? "\n" + pad : "") + "}"));
    parent.appendChild(wrap(box));
  } else {
    parent.appendChild(wrap(document.createTextNode(JSON.stringify(value))));
  }
}

// ------------------------------------------------------------------ start

window.addEventListener("hashchange", () => { state.renderedPair = null; state.actionResult = null; render(true); });
render(false);
poll();
