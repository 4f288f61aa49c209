import { afterEach, beforeEach, vi } from "vitest";

// A test fails on an unexpected console.error: expected ones must be spied on by the test itself.
let errors: unknown[][] = [];
beforeEach(() => {
  errors = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    errors.push(args);
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  if (errors.length > 0) {
    const first = errors[0]!.map((a) => (a instanceof Error ? a.stack : String(a))).join(" ");
    errors = [];
    throw new Error(`unexpected console.error during the test: ${first}`);
  }
});
