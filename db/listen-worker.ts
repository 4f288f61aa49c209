import postgres from "postgres";

/**
 * A background worker of an outbox (the search relay, the mailer): it runs `work` when a
 * transaction NOTIFYs `channel` at commit (a dedicated connection LISTENs), and every `pollMs`
 * too, for retries that came due and notifications it missed. One run at a time: a wake-up during
 * a run asks for one more run after it. Returns stop(), which waits for the run in progress
 * (`work` is told through `stopped()`, so it can hand back what it has not started).
 *
 * `woken()` resolves at the next notification or poll: a `work` that waits on something else
 * (the search relay, on Meilisearch) can take new rows meanwhile instead of after its wait.
 */
export interface ListenWorkerLog {
  warn: (obj: object, msg: string) => void;
}

export function startListenWorker(options: {
  databaseUrl: string;
  channel: string;
  pollMs: number;
  /** What the log lines are about ("search relay", "mailer"). */
  name: string;
  log: ListenWorkerLog;
  work: (stopped: () => boolean, woken: () => Promise<void>) => Promise<void>;
}): () => Promise<void> {
  const listener = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let waiters: (() => void)[] = [];
  const wake = () => {
    const woken = waiters;
    waiters = [];
    for (const resolve of woken) resolve();
  };
  const woken = () => new Promise<void>((resolve) => waiters.push(resolve));

  const run = () => {
    if (stopped) return;
    wake();
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await options.work(() => stopped, woken);
        } catch (error) {
          options.log.warn({ err: error }, `${options.name}: batch failed`);
        }
      } while (again && !stopped);
    })().finally(() => {
      running = undefined;
    });
  };

  const listening = listener.listen(options.channel, run, run).catch((error: unknown) => {
    options.log.warn({ err: error }, `${options.name}: LISTEN failed, polling only`);
  });
  const timer = setInterval(run, options.pollMs);
  timer.unref();
  run();

  return async () => {
    stopped = true;
    wake();
    clearInterval(timer);
    await listening;
    await running;
    await listener.end({ timeout: 5 });
  };
}
