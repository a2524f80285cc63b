// Preloaded into the audit's node processes (NODE_OPTIONS=--require): every server they
// open without a host, or on a wildcard address, binds to 127.0.0.1 instead, so the audit
// never listens beyond loopback on a shared machine.
"use strict";

const net = require("node:net");

const WILDCARDS = new Set([undefined, null, "", "0.0.0.0", "::"]);
const original = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const first = args[0];
  if (first !== null && typeof first === "object" && !("fd" in first) && !("path" in first)) {
    if (WILDCARDS.has(first.host)) args[0] = { ...first, host: "127.0.0.1" };
  } else if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    const second = args[1];
    if (typeof second === "function" || second === undefined) {
      args.splice(1, 0, "127.0.0.1");
    } else if (WILDCARDS.has(second)) {
      args[1] = "127.0.0.1";
    }
  }
  return original.apply(this, args);
};
