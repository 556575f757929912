import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The bundle is committed under assets/web and embedded in the binary; `.ci/run` rebuilds
// it and fails when it differs, so the output must depend on the sources only.
export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: "../assets/web",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      "/api": { target: "http://127.0.0.1:8080", ws: true },
      "/health": "http://127.0.0.1:8080",
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
