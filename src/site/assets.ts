/**
 * The site's style sheet and its two small scripts, as files (the CSP allows no inline script or
 * style). search.js and live.js build the page with text nodes only: nothing from a record is ever
 * parsed as HTML.
 */

export const SITE_CSS = `:root {
  --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --band: #f6f8fa; --accent: #0a5bb5;
  --ok: #1a7f37; --ok-bg: #dafbe1; --warn: #7d4e00; --warn-bg: #fff8c5; --bad: #b3261e; --bad-bg: #ffebe9;
  --unknown: #424a53; --unknown-bg: #eaeef2; --bg: #ffffff;
}
@media (prefers-color-scheme: dark) {
  :root {
    --ink: #e6edf3; --muted: #9da7b3; --line: #3d444d; --band: #161b22; --accent: #6cb6ff; --bg: #0d1117;
    --ok: #7ee787; --ok-bg: #12361d; --warn: #f2cc60; --warn-bg: #3b2e05; --bad: #ffa198; --bad-bg: #49120f;
    --unknown: #c9d1d9; --unknown-bg: #30363d;
  }
  .matrices svg { background: #fff; }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--ink); }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 0; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: .4rem .8rem; }
.skip:focus { left: .5rem; z-index: 10; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
header.site { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem 1.5rem; padding: .6rem 1.5rem; background: var(--band); border-bottom: 1px solid var(--line); }
header.site .brand { margin: 0; font-weight: 700; }
header.site .brand a { color: var(--ink); text-decoration: none; }
header.site nav ul { display: flex; flex-wrap: wrap; gap: .2rem 1rem; list-style: none; margin: 0; padding: 0; }
header.site nav a { text-decoration: none; padding: .2rem 0; }
header.site nav a[aria-current="page"] { font-weight: 700; border-bottom: 2px solid var(--accent); }
form.search { margin-left: auto; display: flex; gap: .3rem; }
input[type="search"] { font: inherit; padding: .25rem .5rem; border: 1px solid var(--line); border-radius: 4px; min-width: 14rem; background: var(--bg); color: var(--ink); }
button { font: inherit; padding: .25rem .8rem; border: 1px solid var(--line); border-radius: 4px; background: var(--bg); color: var(--ink); cursor: pointer; }
main { max-width: 78rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.7rem; margin: 1rem 0 .6rem; }
h1 .id { color: var(--muted); font-weight: 600; margin-right: .3rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
.crumbs { margin: .6rem 0 0; color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.2rem; margin: 0; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; }
.table-wrap { overflow-x: auto; margin: .6rem 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
table.narrow { width: auto; min-width: 24rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; color: var(--muted); }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
thead th { background: var(--band); position: sticky; top: 0; overflow-wrap: normal; }
td code { overflow-wrap: normal; word-break: normal; }
table.fields { width: 100%; margin: .6rem 0 1rem; }
table.fields th { width: 14rem; background: var(--band); }
dl.values { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 0 .8rem; }
dl.values dt { color: var(--muted); }
dl.values dd { margin: 0; }
ol.values { margin: 0; padding-left: 1.2rem; }
table.matrix td.gap { background: var(--bad-bg); }
.gap-mark { color: var(--bad); }
.na { color: var(--muted); }
.missing { color: var(--bad); }
td a[title] { white-space: nowrap; }
.badge { display: inline-block; padding: 0 .5rem; border-radius: 999px; font-size: .82rem; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
.badge.ok { color: var(--ok); background: var(--ok-bg); }
.badge.warn { color: var(--warn); background: var(--warn-bg); }
.badge.bad { color: var(--bad); background: var(--bad-bg); }
.badge.unknown { color: var(--unknown); background: var(--unknown-bg); }
.verdict { font-size: 1.05rem; }
.record-text { border-left: 3px solid var(--line); padding-left: 1rem; margin: .4rem 0 1.2rem; }
code { font: .86em/1.4 ui-monospace, "DejaVu Sans Mono", monospace; background: var(--band); padding: 0 .2em; border-radius: 3px; }
pre { background: var(--band); padding: .6rem; overflow-x: auto; }
pre code { padding: 0; }
.matrices { display: flex; flex-wrap: wrap; gap: 1.5rem; }
.matrices figure { margin: 0; }
.matrices svg { max-width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: .9rem; }
ol.history { list-style: none; padding: 0; margin: 0; }
ol.history > li { border-left: 3px solid var(--line); padding: .1rem 0 .1rem 1rem; margin: 0 0 1rem; }
ol.history p { margin: .2rem 0; }
.history-subject { color: var(--muted); }
pre.changes { white-space: pre-wrap; overflow-wrap: anywhere; font-size: .85rem; margin: .3rem 0; }
figure.graph { margin: .6rem 0 1rem; overflow-x: auto; }
svg.neighbourhood { display: block; font: 13px system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
svg.neighbourhood .nb-head { fill: var(--muted); font-weight: 600; }
svg.neighbourhood .nb-node rect { fill: var(--bg); stroke: var(--line); stroke-width: 1.5; }
svg.neighbourhood a.nb-node:hover rect, svg.neighbourhood a.nb-node:focus rect { stroke: var(--accent); stroke-width: 3; }
svg.neighbourhood a.nb-node:focus { outline: none; }
svg.neighbourhood .nb-self rect { fill: var(--band); stroke: var(--accent); stroke-width: 3; }
svg.neighbourhood .nb-bad rect { stroke: var(--bad); stroke-width: 2.5; }
svg.neighbourhood .nb-inactive rect { stroke-dasharray: 5 3; }
svg.neighbourhood .nb-id { fill: var(--accent); font-weight: 700; }
svg.neighbourhood .nb-self .nb-id { fill: var(--ink); }
svg.neighbourhood .nb-title { fill: var(--ink); }
svg.neighbourhood .nb-more { fill: var(--muted); font-style: italic; }
svg.neighbourhood .nb-edge { fill: none; stroke: var(--muted); stroke-width: 1.2; }
svg.neighbourhood .nb-arrowhead { fill: var(--muted); }
@media print { figure.graph { overflow: visible; } svg.neighbourhood { max-width: 100%; height: auto; } }
nav.pager { display: flex; flex-wrap: wrap; gap: .8rem; align-items: center; margin: .6rem 0; }
nav.pager span { color: var(--muted); }
nav.pager .current { color: var(--ink); font-weight: 600; }
ol.results { padding-left: 1.5rem; }
ol.results li { margin: .2rem 0; }
ol.results .kind { color: var(--muted); font-size: .85rem; margin: 0 .4rem; }
form.big-search { margin: .6rem 0 1rem; }
form.big-search input { min-width: 24rem; }
footer.site { border-top: 1px solid var(--line); color: var(--muted); font-size: .85rem; padding: .6rem 1.5rem; }
@media print {
  header.site form, .skip, nav.pager, footer.site #live-status { display: none; }
  header.site { background: none; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  thead th { position: static; }
  thead { display: table-header-group; }
  tr, figure { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  .badge { border-width: 2px; }
}
`;

/**
 * The static site's search: reads ?q=, filters window.DOSSIER_SEARCH (search-index.js) like the
 * server does (every word in the id, title or text), and lists the first 200 matches.
 */
export const SEARCH_JS = `"use strict";
(function () {
  var index = window.DOSSIER_SEARCH || [];
  var params = new URLSearchParams(window.location.search);
  var query = (params.get("q") || "").slice(0, 200).trim();
  var input = document.getElementById("q");
  if (input) input.value = query;
  var count = document.getElementById("search-count");
  var list = document.getElementById("search-results");
  if (!count || !list || query === "") return;
  var words = query.toLowerCase().split(/\\s+/).filter(function (w) { return w !== ""; });
  var exact = query.toUpperCase();
  var hits = [];
  var total = 0;
  for (var i = 0; i < index.length; i++) {
    var entry = index[i];
    var all = true;
    for (var w = 0; w < words.length; w++) if (entry[3].indexOf(words[w]) < 0) { all = false; break; }
    if (!all) continue;
    total++;
    if (entry[0] === exact) hits.unshift(entry);
    else if (hits.length < 200) hits.push(entry);
  }
  hits = hits.slice(0, 200);
  count.textContent = total + (total === 1 ? " record matches" : " records match") +
    (total > hits.length ? "; the first " + hits.length + " are shown." : ".");
  for (var h = 0; h < hits.length; h++) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = "records/" + encodeURIComponent(hits[h][0]) + ".html";
    a.textContent = hits[h][0];
    li.appendChild(a);
    var kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = hits[h][1];
    li.appendChild(kind);
    li.appendChild(document.createTextNode(hits[h][2]));
    list.appendChild(li);
  }
})();
`;

/**
 * Live update under \`dossier serve\`: reloads the page when the server says the analysis changed,
 * and a page served with parts still being computed when the server says they are done.
 */
export const LIVE_JS = `"use strict";
(function () {
  if (!window.EventSource) return;
  var status = document.getElementById("live-status");
  var source = new EventSource("/api/v1/events");
  var meta = document.querySelector('meta[name="dossier-generation"]');
  var shown = meta ? meta.getAttribute("content") : null;
  var pending = document.querySelector('meta[name="dossier-pending"]');
  var waiting = pending ? String(pending.getAttribute("content")).split(" ") : [];
  source.addEventListener("analysis", function (event) {
    if (String(event.data) !== shown) window.location.reload();
  });
  // "<generation> <part>": reload once every part this page shows as being computed is done.
  source.addEventListener("computed", function (event) {
    var words = String(event.data).split(" ");
    if (!pending || words[0] !== shown) return;
    waiting = waiting.filter(function (part) { return part !== words[1]; });
    if (waiting.length === 0) window.location.reload();
  });
  source.onerror = function () { if (status) status.textContent = "live updates paused (server unreachable)"; };
  source.onopen = function () { if (status) status.textContent = "live"; };
})();
`;
