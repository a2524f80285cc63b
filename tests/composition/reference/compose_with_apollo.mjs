// Compose every suite of a suites directory with Apollo's composer, for comparison.
//
//   (in a scratch directory outside the repository)
//   npm install @apollo/composition graphql
//   node /path/to/compose_with_apollo.mjs SUITES_DIR OUT_DIR
//
// SUITES_DIR/<suite>/manifest.json lists {name, url, file}; writes OUT_DIR/<suite>.graphql,
// or OUT_DIR/<suite>.errors ("CODE: message" lines) when composition fails, and
// OUT_DIR/<suite>.hints. Run it from the scratch directory: packages resolve from there.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

// Resolve the packages from the working directory (the scratch install), not from here.
const require = createRequire(path.join(process.cwd(), "package.json"));
const { composeServices } = require("@apollo/composition");
const { parse } = require("graphql");

const [suitesDir, outDir] = process.argv.slice(2);
if (!suitesDir || !outDir) {
  console.error("usage: node compose_with_apollo.mjs SUITES_DIR OUT_DIR");
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });
for (const suite of fs.readdirSync(suitesDir).sort()) {
  const manifestPath = `${suitesDir}/${suite}/manifest.json`;
  if (!fs.existsSync(manifestPath)) continue;
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8"));
  let result;
  try {
    const services = manifest.map((s) => ({
      name: s.name,
      url: s.url,
      typeDefs: parse(fs.readFileSync(`${suitesDir}/${suite}/${s.file}`, "utf8")),
    }));
    result = composeServices(services);
  } catch (error) {
    // SDL that does not parse: the same verdict Apollo's tooling gives.
    result = { errors: [{ extensions: { code: "INVALID_GRAPHQL" }, message: error.message }] };
  }
  if (result.errors) {
    const lines = result.errors.map((e) => `${e.extensions?.code}: ${e.message}`);
    fs.writeFileSync(`${outDir}/${suite}.errors`, lines.join("\n"));
  } else {
    fs.writeFileSync(`${outDir}/${suite}.graphql`, result.supergraphSdl);
  }
  const hints = (result.hints ?? []).map((h) => `${h.definition.code}: ${h.message}`);
  if (hints.length) fs.writeFileSync(`${outDir}/${suite}.hints`, hints.join("\n"));
}
