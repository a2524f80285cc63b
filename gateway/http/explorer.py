"""A small query explorer served at GET /graphql for browsers.

Self-contained (no CDN, no external fonts or scripts) because the gateway runs inside a
government network without internet access.
"""

from __future__ import annotations

__all__ = ["explorer_page"]

_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>govgraph · 铁岭政务数据共享</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body{margin:0;font:14px system-ui,sans-serif;background:#f4f6f8;color:#1d2733}
 header{background:#9b1c1c;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center}
 header h1{font-size:16px;margin:0} header span{opacity:.85}
 main{display:grid;grid-template-columns:1fr 1fr;gap:8px;padding:8px;height:calc(100vh - 52px);box-sizing:border-box}
 section{display:flex;flex-direction:column;gap:6px;min-height:0}
 label{font-weight:600;font-size:12px;text-transform:uppercase;color:#556}
 textarea,pre,input{font:13px ui-monospace,Menlo,Consolas,monospace;border:1px solid #c8ced6;border-radius:4px;padding:8px;background:#fff}
 textarea{resize:none} #query{flex:3} #variables{flex:1}
 pre{flex:1;overflow:auto;margin:0;white-space:pre-wrap}
 button{background:#9b1c1c;color:#fff;border:0;border-radius:4px;padding:8px 18px;font-weight:600;cursor:pointer}
 .row{display:flex;gap:6px} .row input{flex:1}
 #schema{max-height:30vh}
</style></head><body>
<header><h1>govgraph</h1><span>铁岭市政务数据共享网关 · one government graph</span>
<button id="run" title="Ctrl+Enter">▶ Run</button><button id="types">Schema</button>
<button id="matrix" title="who may read which field">Access matrix</button></header>
<main>
<section>
 <label for="query">Query</label>
 <textarea id="query" spellcheck="false">query Divisions {\\n  divisions { code name }\\n}</textarea>
 <label for="variables">Variables (JSON)</label>
 <textarea id="variables" spellcheck="false">{}</textarea>
 <div class="row"><input id="token" placeholder="Bearer token (govgraph token user …)">
 <input id="purpose" placeholder="X-Purpose (case number or purpose)"></div>
</section>
<section><label>Response</label><pre id="result"></pre><pre id="schema" hidden></pre></section>
</main>
<script>
const $ = (id) => document.getElementById(id);
for (const k of ["query","variables","token","purpose"]) {
  const v = localStorage.getItem("govgraph." + k); if (v !== null) $(k).value = v;
  $(k).addEventListener("input", () => localStorage.setItem("govgraph." + k, $(k).value));
}
async function call(query, variables) {
  const headers = {"Content-Type": "application/json", "Accept": "application/graphql-response+json"};
  if ($("token").value.trim()) headers["Authorization"] = "Bearer " + $("token").value.trim().replace(/^Bearer\\s+/i, "");
  if ($("purpose").value.trim()) headers["X-Purpose"] = $("purpose").value.trim();
  const res = await fetch(location.pathname, {method: "POST", headers, body: JSON.stringify({query, variables})});
  return [res.status, await res.text()];
}
async function run() {
  let variables = {};
  try { variables = JSON.parse($("variables").value || "{}"); }
  catch (e) { $("result").textContent = "Variables are not valid JSON: " + e.message; return; }
  $("result").textContent = "…";
  const [status, text] = await call($("query").value, variables);
  try { $("result").textContent = "HTTP " + status + "\\n" + JSON.stringify(JSON.parse(text), null, 2); }
  catch { $("result").textContent = "HTTP " + status + "\\n" + text; }
}
async function types() {
  const q = "{ __schema { queryType { fields { name description args { name type { name kind ofType { name } } } } } types { name kind fields { name } } } }";
  const [, text] = await call(q, {});
  const s = JSON.parse(text).data.__schema;
  const lines = s.queryType.fields.map(f => f.name + "(" + f.args.map(a => a.name).join(", ") + ")");
  const objs = s.types.filter(t => t.kind === "OBJECT" && !t.name.startsWith("__"))
    .map(t => t.name + " { " + (t.fields || []).map(f => f.name).join(" ") + " }");
  $("schema").hidden = false;
  $("schema").textContent = "Query: " + lines.join("\\n       ") + "\\n\\n" + objs.join("\\n");
}
async function matrix() {
  const headers = {};
  if ($("token").value.trim()) headers["Authorization"] = "Bearer " + $("token").value.trim().replace(/^Bearer\\s+/i, "");
  const res = await fetch("/policies", {headers});
  const html = await res.text();
  if (!res.ok) { $("result").textContent = "HTTP " + res.status + "\\n" + html; return; }
  window.open(URL.createObjectURL(new Blob([html], {type: "text/html"})), "_blank");
}
$("run").onclick = run; $("types").onclick = types; $("matrix").onclick = matrix;
document.addEventListener("keydown", (e) => { if (e.ctrlKey && e.key === "Enter") run(); });
</script></body></html>
"""


def explorer_page() -> str:
    return _PAGE
