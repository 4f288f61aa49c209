// The production server as one JavaScript file: server.ts and the modules it reaches (server/,
// db/, search/ and the app modules they use), bundled by esbuild, so `npm start` runs plain Node
// with no TypeScript loader (tsx keeps a loader thread of its own, about 35 MB). Packages stay
// imports from node_modules; the React Router build is loaded at run time as before.
//
//   node scripts/build-server.mjs [outfile]   (default build/start/server.js)
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Bundles server.ts into `outfile`; relative to the project when not absolute. */
export async function buildServer(outfile = "build/start/server.js") {
  await build({
    absWorkingDir: root,
    // Issue 19, forum server: the public forum's entry (forum.ts) is bundled too, as forum.js next to
    // the server bundle, where server/forum-process.ts forks it and `npm run start:forum` runs it.
    entryPoints: { [path.basename(outfile, ".js")]: "server.ts", forum: "forum.ts" },
    outdir: path.dirname(path.resolve(root, outfile)),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20.19",
    logLevel: "warning",
    // Scripts' "run me when started directly" checks (db/script.ts) stay quiet inside the bundle.
    define: { __COMMONS_BUNDLE__: "true" },
    // A require() from a package bundled into ESM needs a require of its own.
    banner: { js: "import { createRequire as __commonsCreateRequire } from 'node:module'; const require = __commonsCreateRequire(import.meta.url);" },
    plugins: [
      {
        name: "packages-stay-external",
        setup(b) {
          // Bare specifiers are packages (or node: builtins): resolved from node_modules at run time.
          // "#app/…" and the other subpath imports are our sources, bundled.
          b.onResolve({ filter: /^[^./#]/ }, (args) => (path.isAbsolute(args.path) ? undefined : { path: args.path, external: true }));
        },
      },
    ],
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await buildServer(process.argv[2]);
}
