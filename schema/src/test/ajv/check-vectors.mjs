// Loads every published schema in ajv 8 with no options (strict mode) and checks every test vector three
// ways: ajv's verdict, the manifest's, and the reference validator's (bin/p2pchat validate). Any
// disagreement, and any strict-mode warning, fails. Usage: node check-vectors.mjs SCHEMA_DIR VALIDATE_CMD...
import Ajv from "ajv";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const [dir, ...validateCmd] = process.argv.slice(2);
const problems = [];
const warnings = [];
const logger = { log() {}, warn: (...a) => warnings.push(a.join(" ")), error: (...a) => warnings.push(a.join(" ")) };

function schemaFiles(d) {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    if (statSync(p).isDirectory()) return name === "vectors" ? [] : schemaFiles(p);
    return name.endsWith(".json") && name !== "catalog.json" ? [p] : [];
  });
}

// 1. The schemas load as shipped: no options but our logger, which only records what ajv would print.
const ajv = new Ajv({ logger });
const files = schemaFiles(dir);
function fail() {
  console.error(problems.join("\n"));
  console.error(`ajv check: ${problems.length} problem(s)`);
  process.exit(1);
}
try {
  for (const f of files) ajv.addSchema(JSON.parse(readFileSync(f, "utf8")));
  for (const f of files) ajv.getSchema(JSON.parse(readFileSync(f, "utf8")).$id);
} catch (e) {
  problems.push(`the schemas do not load in ajv strict mode: ${e.message}`);
  fail();
}
const message = ajv.getSchema("https://p2pchat.org/schema/v1/message.json");
warnings.forEach((w) => problems.push(`strict mode warning: ${w}`));

// 2. The reference validator's verdict on every vector, in one run.
const manifest = JSON.parse(readFileSync(join(dir, "vectors/manifest.json"), "utf8"));
const paths = manifest.vectors.map((v) => join(dir, "vectors", v.file));
let out;
try {
  out = execFileSync(validateCmd[0], [...validateCmd.slice(1), ...paths], { encoding: "utf8", maxBuffer: 1 << 26 });
} catch (e) {
  if (e.status !== 1) throw e; // 1 means "some message invalid", expected here
  out = e.stdout;
}
const reference = new Map(paths.map((p) => [p, []]));
for (const line of out.split("\n").filter(Boolean)) {
  const p = paths.find((q) => line.startsWith(q + ": "));
  if (!p) { problems.push(`unexpected validator output: ${line}`); continue; }
  const rest = line.slice(p.length + 2);
  if (rest === "OK") continue;
  const [pointer, keyword] = rest.split(": ");
  reference.get(p).push({ pointer: pointer === "(root)" ? "" : pointer, keyword });
}

// 3. Every vector: ajv, manifest and reference validator agree.
let checked = 0;
for (const [i, v] of manifest.vectors.entries()) {
  const name = v.file;
  const ref = reference.get(paths[i]);
  if (ref.length === 0 !== v.valid) problems.push(`${name}: reference validator says ${ref.length ? "invalid" : "valid"}, manifest ${v.valid ? "valid" : "invalid"}`);
  let text, value, parsed = true;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(paths[i]));
    value = JSON.parse(text);
  } catch { parsed = false; }
  const ajvValid = parsed && message(value);
  if (ajvValid !== v.valid) problems.push(`${name}: ajv says ${ajvValid ? "valid" : "invalid"}, manifest ${v.valid ? "valid" : "invalid"}${parsed ? ": " + ajv.errorsText(message.errors) : ""}`);
  if (!v.valid) {
    const want = v.violation;
    if (want.kind === "SCHEMA" || want.kind === "UNKNOWN_TYPE") {
      const errs = message.errors || [];
      if (!errs.some((e) => e.instancePath === want.pointer && want.schemaKeywords.includes(e.keyword))) {
        problems.push(`${name}: ajv reports no ${want.schemaKeywords.join("|")} at '${want.pointer}': ${ajv.errorsText(errs)}`);
      }
    } else if (parsed) {
      problems.push(`${name}: ${want.kind} but the bytes decode and parse as JSON`);
    }
    if (!ref.some((r) => r.pointer === want.pointer && r.keyword === want.keyword)) {
      problems.push(`${name}: reference validator reports no ${want.keyword} at '${want.pointer}': ${JSON.stringify(ref)}`);
    }
  }
  checked++;
}
if (problems.length) fail();
console.log(`ajv check: ${files.length} schemas load in strict mode; ajv, the manifest and the reference validator agree on all ${checked} vectors`);
