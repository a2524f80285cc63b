// Apollo Gateway (the reference) serving a static supergraph file: the gateway the
// benchmark compares govgraph with, and the reference gateway for the conformance harness.
//
//   node index.js --supergraph FILE --port N [--host 127.0.0.1]
//
// POST/GET /graphql and GET /health, on plain node:http so that no web framework sits
// between the load and Apollo's own request pipeline. CommonJS on purpose: NODE_PATH can
// then point at a node_modules installed outside the repository.
"use strict";

const http = require("node:http");
const { readFileSync } = require("node:fs");
const { parseArgs } = require("node:util");
const { ApolloServer, HeaderMap } = require("@apollo/server");
const { ApolloGateway } = require("@apollo/gateway");

const { values: args } = parseArgs({
  options: {
    supergraph: { type: "string" },
    port: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
  },
});
if (!args.supergraph || !args.port) {
  process.stderr.write("usage: node index.js --supergraph FILE --port N [--host H]\n");
  process.exit(2);
}

const supergraphSdl = readFileSync(args.supergraph, "utf8");
const gateway = new ApolloGateway({ supergraphSdl });
const server = new ApolloServer({ gateway, csrfPrevention: false });

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

async function handleGraphQL(req, res, url) {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  let body;
  if (req.method === "POST") {
    const text = await readBody(req);
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ errors: [{ message: "request body is not valid JSON" }] }));
      return;
    }
  }
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method, headers, search: url.search, body },
    context: async () => ({}),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status || 200;
  if (response.body.kind === "complete") {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

async function main() {
  await server.start();
  const httpServer = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    if (url.pathname === "/health") {
      const phase = gateway.__testing().state.phase;
      res.writeHead(phase === "loaded" ? 200 : 503, { "content-type": "text/plain" });
      res.end(phase === "loaded" ? "OK" : `gateway: ${phase}`);
      return;
    }
    if (url.pathname !== "/graphql") {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    handleGraphQL(req, res, url).catch((err) => {
      process.stderr.write(`request failed: ${err && err.stack ? err.stack : err}\n`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ errors: [{ message: "internal gateway error" }] }));
    });
  });
  httpServer.keepAliveTimeout = 65_000;
  const stop = () => httpServer.close(() => server.stop().finally(() => process.exit(0)));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  httpServer.listen(Number(args.port), args.host, () => {
    process.stdout.write(`apollo gateway ready at http://${args.host}:${args.port}/graphql\n`);
  });
}

main().catch((err) => {
  process.stderr.write(`apollo gateway failed to start: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
