import { reactRouter } from "@react-router/dev/vite";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [tailwindcss(), reactRouter()],
  build: {
    // The server bundle keeps the database and search drivers external: they are
    // installed packages, not code to bundle.
    target: "es2022",
    // Fonts (KaTeX's) are served as files: the content security policy allows fonts from 'self',
    // never data: URIs, which Vite would otherwise inline small fonts as.
    assetsInlineLimit: (file) => (/\.(woff2?|ttf|otf|eot)$/i.test(file) ? false : undefined),
  },
  server: {
    // server.ts drives Vite in middleware mode; this only matters for `vite` directly.
    port: 3000,
  },
});
