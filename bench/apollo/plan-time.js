// Apollo's query planning time for one query: the first plan on a fresh planner (cold,
// median over fresh planners) and re-planning on a warm planner (Apollo Gateway then
// serves repeats from its plan cache, so "warm" is what a cache miss costs once warm).
//
//   node plan-time.js SUPERGRAPH QUERY_FILE [ITERATIONS]    -> one JSON line on stdout
"use strict";

const { readFileSync } = require("node:fs");
const { parse } = require("graphql");
const { Supergraph, operationFromDocument } = require("@apollo/federation-internals");
const { QueryPlanner } = require("@apollo/query-planner");

const [supergraphFile, queryFile, iterationsArg] = process.argv.slice(2);
const iterations = Number(iterationsArg || 50);
const sdl = readFileSync(supergraphFile, "utf8");
const query = readFileSync(queryFile, "utf8");

function ms(start) {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

let start = process.hrtime.bigint();
const supergraph = Supergraph.build(sdl);
const loadMs = ms(start);
const schema = supergraph.schema;
const operation = () => operationFromDocument(schema, parse(query), { operationName: "TestQuery" });

const cold = [];
let firstEver = null;
for (let i = 0; i < Math.max(3, Math.floor(iterations / 10)); i++) {
  const planner = new QueryPlanner(supergraph);
  start = process.hrtime.bigint();
  planner.buildQueryPlan(operation());
  const took = ms(start);
  if (firstEver === null) firstEver = took;
  cold.push(took);
}
const planner = new QueryPlanner(supergraph);
planner.buildQueryPlan(operation());
const warm = [];
for (let i = 0; i < iterations; i++) {
  start = process.hrtime.bigint();
  planner.buildQueryPlan(operation());
  warm.push(ms(start));
}
process.stdout.write(
  JSON.stringify({
    supergraph_load_ms: loadMs,
    first_plan_in_process_ms: firstEver,
    cold_ms: median(cold),
    warm_replan_ms: median(warm),
  }) + "\n",
);
