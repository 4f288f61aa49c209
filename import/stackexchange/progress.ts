/**
 * Progress of an import on stderr: per file, rows read and written and the rate. On a terminal one
 * line is rewritten in place; piped (CI, logs) a line is written every few seconds instead.
 */

export type ProgressOutput = { write(text: string): unknown; isTTY?: boolean };

export type FileCounts = { read: number; written: number; skipped: number; bad: number };

const TTY_EVERY_MS = 200;
const PIPED_EVERY_MS = 5_000;

export class Progress {
  private file = "";
  private started = 0;
  private last = 0;
  private pending = false;

  constructor(
    private readonly out: ProgressOutput | null,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A line of its own (a problem, the summary), clearing an in-place line first. */
  line(text: string): void {
    if (!this.out) return;
    this.out.write(`${this.pending && this.out.isTTY ? "\r\x1b[K" : ""}${text}\n`);
    this.pending = false;
  }

  start(file: string): void {
    this.file = file;
    this.started = this.now();
    this.last = this.started;
  }

  update(counts: FileCounts): void {
    if (!this.out) return;
    const now = this.now();
    const every = this.out.isTTY ? TTY_EVERY_MS : PIPED_EVERY_MS;
    if (now - this.last < every) return;
    this.last = now;
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[K${this.describe(counts, now)}`);
      this.pending = true;
    } else this.out.write(`${this.describe(counts, now)}\n`);
  }

  finish(counts: FileCounts): number {
    const now = this.now();
    this.line(`${this.describe(counts, now)}, done`);
    return now - this.started;
  }

  private describe(counts: FileCounts, now: number): string {
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = Math.round(counts.read / seconds);
    const extra = [counts.skipped > 0 ? `${counts.skipped.toLocaleString("en")} skipped` : "", counts.bad > 0 ? `${counts.bad.toLocaleString("en")} malformed` : ""]
      .filter(Boolean)
      .join(", ");
    return `${this.file}: ${counts.read.toLocaleString("en")} rows read, ${counts.written.toLocaleString("en")} written${extra ? `, ${extra}` : ""} in ${seconds.toFixed(1)} s (${rate.toLocaleString("en")} rows/s)`;
  }
}
