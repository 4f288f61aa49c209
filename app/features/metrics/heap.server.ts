import { constants, PerformanceObserver } from "node:perf_hooks";
import v8 from "node:v8";
import { Counter, Gauge, type Registry } from "prom-client";

/**
 * The heap's live set: how much of it a full (mark-compact) collection leaves. `heap_size_used`
 * at any moment is that plus whatever was allocated since, and V8 lets the young and old spaces
 * fill a long way before it collects them, so its readings saw up and down by tens of MiB and their
 * lows still drift up as V8 raises its own limits. The heap just after a major collection is what
 * a leak grows: this is the figure to watch over hours (the soak judges it, bench/soak.ts).
 *
 * One observer for the process, started on first use: the tests make many registries in one
 * process, and each would otherwise add an observer of its own that is never removed.
 */

type HeapAfterGc = { usedBytes: number | undefined; majorCollections: number };

const state: HeapAfterGc = { usedBytes: undefined, majorCollections: 0 };
let observing = false;

function observe(): void {
  if (observing) return;
  observing = true;
  const observer = new PerformanceObserver((list) => {
    let major = false;
    for (const entry of list.getEntries()) {
      if (((entry as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) major = true;
    }
    if (!major) return;
    // Entries arrive in a batch just after the collection: what is allocated in between is a
    // few KiB against a heap of a hundred MiB.
    state.usedBytes = v8.getHeapStatistics().used_heap_size;
    state.majorCollections++;
  });
  observer.observe({ entryTypes: ["gc"] });
}

/** The heap after the last major collection, and how many there have been, in `registry`. */
export function registerHeapAfterGc(registry: Registry): void {
  observe();
  new Gauge({
    name: "commons_nodejs_heap_used_after_major_gc_bytes",
    help: "Heap used just after the last full (mark-compact) collection: the live set. Absent until the first one.",
    registers: [registry],
    collect() {
      if (state.usedBytes === undefined) this.reset();
      else this.set(state.usedBytes);
    },
  });
  let counted = 0;
  new Counter({
    name: "commons_nodejs_major_gc_total",
    help: "Full (mark-compact) collections since the process started.",
    registers: [registry],
    collect() {
      this.inc(state.majorCollections - counted);
      counted = state.majorCollections;
    },
  });
}

/** For tests: the observer's last reading. */
export function heapAfterGc(): Readonly<HeapAfterGc> {
  return state;
}
