import { reactRouter } from "@react-router/dev/vite";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [tailwindcss(), reactRouter()],
  build: {
    // The server bundle keeps the database and search drivers external: they are
    // installed packages, not code to bundle.
    target: "es2022",
  },
  server: {
    // server.ts drives Vite in middleware mode; this only matters for `vite` directly.
    port: 3000,
  },
});
