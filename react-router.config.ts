import type { Config } from "@react-router/dev/config";

export default {
  ssr: true,
  // `npm run bench` builds into a directory of its own (with its bare page, see app/routes.ts), so
  // the build that `npm start` and the tests serve is never one with benchmark routes.
  buildDirectory: process.env.COMMONS_BUILD_DIR ?? "build",
} satisfies Config;
