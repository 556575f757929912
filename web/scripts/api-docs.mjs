// Copies Swagger UI's prebuilt bundle beside the API reference page (public/api-docs), so
// the binary serves it from its own origin: no CDN, and the page's CSP stays 'self'.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const dist = dirname(require.resolve("swagger-ui-dist/package.json"));
const out = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "assets", "web", "api-docs");
mkdirSync(out, { recursive: true });
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"]) {
  copyFileSync(join(dist, file), join(out, file === "LICENSE" ? "swagger-ui.LICENSE" : file));
}
