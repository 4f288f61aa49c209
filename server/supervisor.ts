import type { Logger } from "./logger.ts";

/**
 * The launcher's supervisor (issue 23): `npm start` restarts the embedded servers it started
 * itself (PostgreSQL, Meilisearch, MailDev) when one exits without being asked to, after a
 * `kill -9`, a crash or the out-of-memory killer. The restart takes the same port and data
 * directory, so the app's connection pool, the search client, the mailer, the relay and the forum
 * process, which all hold addresses with that port, carry on without a restart of their own.
 *
 * Restarts back off: the first comes after a second, each one after that waits twice as long, up
 * to 30 s, and the wait is back to a second once the server has stayed up for a minute. A server
 * that cannot start again (its port taken, its data directory broken) is tried again on the same
 * schedule, for as long as the launcher runs: each attempt is logged, and /readyz says not ready.
 *
 * `stop()` ends the supervision before anything is stopped, so a deliberate stop (Ctrl-C, which
 * also signals the servers in the terminal's process group) is never taken for a death.
 */

/** What the supervisor watches: a server that says when it exits and can be stopped. */
export interface SupervisedServer {
  /** Resolves when the process exits, with how ("signal SIGKILL", "code 1"). */
  exited: Promise<string>;
  stop: () => Promise<void>;
}

export interface Backoff {
  firstMs: number;
  maxMs: number;
  /** After this long up, the next restart waits `firstMs` again. */
  resetAfterMs: number;
}

export const BACKOFF: Backoff = { firstMs: 1000, maxMs: 30_000, resetAfterMs: 60_000 };

export interface Watched<T> {
  /** The running instance: the first, or the latest restart. Stop this one. */
  current: () => T;
}

export interface Supervisor {
  /** Watches `first` (named `name` in the log) and restarts it with `restart` whenever it exits unasked. */
  watch: <T extends SupervisedServer>(name: string, first: T, restart: () => Promise<T>) => Watched<T>;
  /** Ends the supervision: whatever exits afterwards stays down. Waits for a restart in progress and stops what it started. */
  stop: () => Promise<void>;
}

export function createSupervisor(log: Logger, backoff: Backoff = BACKOFF): Supervisor {
  let stopping = false;
  /** Waits before a restart, so that stop() can cut them short. */
  const waits = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  /** Restarts in progress, which stop() waits for. */
  const restarts = new Set<Promise<void>>();

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          waits.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      waits.add(entry);
    });

  return {
    watch<T extends SupervisedServer>(name: string, first: T, restart: () => Promise<T>): Watched<T> {
      let current = first;
      let upSince = Date.now();
      let delay = backoff.firstMs;
      let attempt = 0;

      const restartLoop = async () => {
        for (;;) {
          await wait(delay);
          if (stopping) return;
          attempt += 1;
          try {
            const next = await restart();
            if (stopping) {
              await next.stop();
              return;
            }
            current = next;
            upSince = Date.now();
            log.warn({ server: name, attempt }, `${name} restarted`);
            delay = Math.min(delay * 2, backoff.maxMs);
            follow(next);
            return;
          } catch (error) {
            delay = Math.min(delay * 2, backoff.maxMs);
            log.error({ server: name, attempt, err: error, retryInMs: delay }, `${name} did not restart: trying again in ${delay / 1000} s`);
          }
        }
      };

      const follow = (server: T) => {
        void server.exited.then((how) => {
          if (stopping || server !== current) return;
          if (Date.now() - upSince >= backoff.resetAfterMs) delay = backoff.firstMs;
          attempt = 0;
          log.error({ server: name, exit: how, restartInMs: delay }, `${name} exited unexpectedly (${how}): restarting in ${delay / 1000} s`);
          const running = restartLoop().finally(() => restarts.delete(running));
          restarts.add(running);
        });
      };
      follow(first);
      return { current: () => current };
    },

    async stop() {
      stopping = true;
      for (const entry of waits) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      waits.clear();
      await Promise.allSettled([...restarts]);
    },
  };
}
