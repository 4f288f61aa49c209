/**
 * Memory of the embedded default (issue 22), sampled every 500 ms by the bench (bench/run.ts, from
 * the data generation and reindex to the end of the rows) and by `npm run bench:memory`
 * (bench/start-memory.ts, `npm start`'s own processes):
 * - the app and the public forum (Node): VmHWM, the kernel's own peak, and VmRSS at each sample;
 * - PostgreSQL counted once: the sum of Pss (proportional set size, /proc/<pid>/smaps_rollup) over
 *   the postmaster and all its children. Shared buffers are mapped into every backend, so summing
 *   their RSS counted them once per process (2.5 GB for 24 processes at 20,000 questions); Pss
 *   shares each page among the processes that map it, so the sum counts it once;
 * - Meilisearch: RssAnon (its own heap: what the indexing holds) and RssFile (pages of its LMDB
 *   files the kernel keeps mapped: the page cache, given back under memory pressure), apart;
 * - the total of the four at each sample, and its peak: what the machine needed at once.
 */
import { readdirSync, readFileSync } from "node:fs";

const MIB = 1024;

/** A field of /proc/<pid>/status in kB (0 when missing). */
function statusKiB(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match ? Number(match[1]) : 0;
}

function readStatus(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined; // the process ended while we looked
  }
}

/** Pss of one process in kB, from smaps_rollup (0 when it is gone or unreadable). */
function pssKiB(pid: number): number {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** The pid of every direct child of `pid`. */
export function childrenOf(pid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat, after the parenthesised command name, is the parent's pid.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) pids.push(Number(entry));
    } catch {
      continue;
    }
  }
  return pids;
}

/** A process's command line, its words joined by `separator` ("" when it is gone). */
export function commandLine(pid: number, separator = " "): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(separator);
  } catch {
    return "";
  }
}

/** The processes to sample; any may be missing (not started yet, or stopped). */
export type Watched = { app?: number | undefined; forum?: number[] | undefined; postmaster?: number | undefined; meili?: number | undefined };

type Sample = { app: number; forum: number; postgres: number; postgresProcesses: number; meiliAnon: number; meiliFile: number; meiliRss: number };

function sample(w: Watched): Sample {
  const rss = (pid: number | undefined) => (pid === undefined ? 0 : statusKiB(readStatus(pid) ?? "", "VmRSS"));
  const pg = w.postmaster === undefined ? [] : [w.postmaster, ...childrenOf(w.postmaster)];
  const meili = w.meili === undefined ? "" : (readStatus(w.meili) ?? "");
  return {
    app: rss(w.app),
    forum: (w.forum ?? []).reduce((sum, pid) => sum + rss(pid), 0),
    postgres: pg.reduce((sum, pid) => sum + pssKiB(pid), 0),
    postgresProcesses: pg.length,
    meiliAnon: statusKiB(meili, "RssAnon"),
    meiliFile: statusKiB(meili, "RssFile"),
    meiliRss: statusKiB(meili, "VmRSS"),
  };
}

const total = (s: Sample) => s.app + s.forum + s.postgres + s.meiliRss;

/** Peaks and last values in MiB; `phase` names the part of the run in which the total peaked. */
export type MemoryFigures = {
  samples: number;
  app: { hwm: number; now: number };
  forum: { hwm: number; now: number; processes: number };
  postgres: { pssPeak: number; pssNow: number; processes: number };
  meili: { anonPeak: number; filePeak: number; anonNow: number; fileNow: number; hwm: number };
  total: { peak: number; phase: string; now: number };
  /** Per phase: the total's peak and Meilisearch's anonymous peak. */
  phases: Array<{ name: string; totalPeak: number; meiliAnonPeak: number; postgresPssPeak: number }>;
};

/**
 * Samples `watched()` every `intervalMs` until `stop()`. `phase(name)` starts a new part of the run
 * (its peaks are kept apart too). Reading smaps_rollup of ~25 PostgreSQL processes takes a few
 * milliseconds of this process's time each sample.
 */
export function startMemorySampler(watched: () => Watched, intervalMs = 500) {
  let last: Sample = sample(watched());
  const peak: Sample = { ...last };
  let totalPeak = total(last);
  let totalPhase = "start";
  let count = 1;
  const phases: MemoryFigures["phases"] = [{ name: "start", totalPeak, meiliAnonPeak: last.meiliAnon, postgresPssPeak: last.postgres }];
  const take = () => {
    last = sample(watched());
    count++;
    for (const key of Object.keys(peak) as Array<keyof Sample>) peak[key] = Math.max(peak[key], last[key]);
    const current = phases.at(-1)!;
    current.totalPeak = Math.max(current.totalPeak, total(last));
    current.meiliAnonPeak = Math.max(current.meiliAnonPeak, last.meiliAnon);
    current.postgresPssPeak = Math.max(current.postgresPssPeak, last.postgres);
    if (total(last) > totalPeak) {
      totalPeak = total(last);
      totalPhase = current.name;
    }
  };
  const timer = setInterval(take, intervalMs);
  timer.unref();
  const mib = (kib: number) => Math.round(kib / MIB);
  return {
    phase(name: string) {
      take();
      phases.push({ name, totalPeak: 0, meiliAnonPeak: 0, postgresPssPeak: 0 });
      take();
    },
    /** The figures so far (the kernel's VmHWM for the Node processes, read now). */
    figures(): MemoryFigures {
      take();
      const w = watched();
      const hwm = (pid: number | undefined) => (pid === undefined ? 0 : statusKiB(readStatus(pid) ?? "", "VmHWM"));
      return {
        samples: count,
        app: { hwm: mib(hwm(w.app)), now: mib(last.app) },
        forum: { hwm: mib((w.forum ?? []).reduce((sum, pid) => sum + hwm(pid), 0)), now: mib(last.forum), processes: (w.forum ?? []).length },
        postgres: { pssPeak: mib(peak.postgres), pssNow: mib(last.postgres), processes: last.postgresProcesses },
        meili: { anonPeak: mib(peak.meiliAnon), filePeak: mib(peak.meiliFile), anonNow: mib(last.meiliAnon), fileNow: mib(last.meiliFile), hwm: mib(hwm(w.meili)) },
        total: { peak: mib(totalPeak), phase: totalPhase, now: mib(total(last)) },
        phases: phases.filter((p) => p.totalPeak > 0).map((p) => ({ ...p, totalPeak: mib(p.totalPeak), meiliAnonPeak: mib(p.meiliAnonPeak), postgresPssPeak: mib(p.postgresPssPeak) })),
      };
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/** The memory table, in MiB, for bench/results. */
export function memoryTable(m: MemoryFigures, title: string): string[] {
  const fmt = (n: number) => n.toLocaleString("en");
  return [
    `| memory (MiB), ${title} | peak | at the end |`,
    "| --- | ---: | ---: |",
    `| app (node; peak: VmHWM) | ${fmt(m.app.hwm)} | ${fmt(m.app.now)} |`,
    `| public forum (node, ${m.forum.processes} process, a child of the app; peak: VmHWM) | ${fmt(m.forum.hwm)} | ${fmt(m.forum.now)} |`,
    `| PostgreSQL, counted once (Pss summed over the postmaster and its ${Math.max(0, m.postgres.processes - 1)} children) | ${fmt(m.postgres.pssPeak)} | ${fmt(m.postgres.pssNow)} |`,
    `| Meilisearch, anonymous memory (RssAnon) | ${fmt(m.meili.anonPeak)} | ${fmt(m.meili.anonNow)} |`,
    `| Meilisearch, file-backed pages (RssFile: its LMDB files in the page cache) | ${fmt(m.meili.filePeak)} | ${fmt(m.meili.fileNow)} |`,
    `| **total at once** (app + forum + PostgreSQL Pss + Meilisearch RSS, summed at each sample; peak during ${m.total.phase}) | **${fmt(m.total.peak)}** | ${fmt(m.total.now)} |`,
    "",
    `Sampled every 500 ms (${fmt(m.samples)} samples). Per part of the run, the total's peak / Meilisearch RssAnon peak / PostgreSQL Pss peak: ` +
      m.phases.map((p) => `${p.name} ${fmt(p.totalPeak)} / ${fmt(p.meiliAnonPeak)} / ${fmt(p.postgresPssPeak)}`).join("; ") +
      ".",
  ];
}

/**
 * What caps Meilisearch's indexing memory, read from the running process: its command line and
 * environment (`--max-indexing-memory` and `--max-indexing-threads`, MEILI_MAX_INDEXING_MEMORY, and
 * the experimental reduced indexing memory). "none" when it runs with Meilisearch's defaults (two thirds of the machine's memory).
 */
export function meiliMemorySettings(pid: number): string {
  const found: string[] = [];
  const args = commandLine(pid, "\0").split("\0");
  for (const name of ["--max-indexing-memory", "--max-indexing-threads"]) {
    const flag = args.indexOf(name);
    if (flag >= 0) found.push(`${name} ${args[flag + 1] ?? ""}`.trim());
  }
  if (args.includes("--experimental-reduce-indexing-memory-usage")) found.push("--experimental-reduce-indexing-memory-usage");
  try {
    for (const entry of readFileSync(`/proc/${pid}/environ`, "utf8").split("\0")) {
      if (/^MEILI_(MAX_INDEXING_MEMORY|EXPERIMENTAL_REDUCE_INDEXING_MEMORY_USAGE|MAX_INDEXING_THREADS)=/.test(entry)) found.push(entry);
    }
  } catch {
    // not ours to read: the command line is what we know
  }
  return found.length > 0 ? found.join(", ") : "none";
}
