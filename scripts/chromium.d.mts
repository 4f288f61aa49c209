// Types for scripts/chromium.mjs (a plain script, so `npm test` can run it before anything is built).
export interface Chromium {
  path: string;
  found: boolean;
  explicit: boolean;
}
export type Plan = { action: "use" } | { action: "install" } | { action: "stop"; message: string };
export const SYSTEM_CHROMIUMS: string[];
export function findChromium(env?: Record<string, string | undefined>, candidates?: string[]): Chromium;
export function plan(chromium: Chromium, host: { isRoot: boolean; hasAptGet: boolean }): Plan;
