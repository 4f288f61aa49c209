import { setTimeout as sleep } from "node:timers/promises";
import { pino } from "pino";
import { expect, test } from "vitest";
import type { Logger } from "../../server/logger.ts";
import { createSupervisor, type SupervisedServer } from "../../server/supervisor.ts";

/**
 * The supervisor's rules (server/supervisor.ts) on stand-in servers, with short waits: a death is
 * followed by a restart after the backoff, a failed restart is tried again at twice the wait up to
 * the cap, and after stop() nothing is restarted. The real servers are killed in supervise.test.ts.
 */

const BACKOFF = { firstMs: 20, maxMs: 80, resetAfterMs: 60_000 };

class FakeServer implements SupervisedServer {
  static made = 0;
  readonly id = ++FakeServer.made;
  stopped = false;
  private die!: (how: string) => void;
  readonly exited = new Promise<string>((resolve) => (this.die = resolve));
  kill(how = "signal SIGKILL") {
    this.die(how);
  }
  async stop() {
    this.stopped = true;
    this.die("code 0");
  }
}

function capture() {
  const lines: Array<Record<string, unknown> & { msg: string; time: number }> = [];
  const log = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) }) as unknown as Logger;
  return { log, lines, messages: () => lines.map((line) => line.msg) };
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(5);
  }
}

test("a server that dies is restarted after the backoff, logged once for the death and once for the restart", async () => {
  const { log, messages, lines } = capture();
  const supervisor = createSupervisor(log, BACKOFF);
  const first = new FakeServer();
  const watched = supervisor.watch("stand-in", first, async () => new FakeServer());
  first.kill();
  await until(() => watched.current() !== first);
  expect(messages()).toEqual(["stand-in exited unexpectedly (signal SIGKILL): restarting in 0.02 s", "stand-in restarted"]);
  expect(lines[0]).toMatchObject({ server: "stand-in", exit: "signal SIGKILL", restartInMs: 20 });
  // The second death within a minute of the first waits twice as long.
  watched.current().kill();
  await until(() => messages().length === 4);
  expect(messages()[2]).toBe("stand-in exited unexpectedly (signal SIGKILL): restarting in 0.04 s");
  await supervisor.stop();
});

test("a restart that fails is tried again, each wait twice the last, up to the cap", async () => {
  const { log, lines } = capture();
  const supervisor = createSupervisor(log, BACKOFF);
  const first = new FakeServer();
  let failures = 4;
  const watched = supervisor.watch("stand-in", first, async () => {
    if (failures-- > 0) throw new Error("port taken");
    return new FakeServer();
  });
  first.kill();
  await until(() => watched.current() !== first);
  const retries = lines.filter((line) => line.msg.startsWith("stand-in did not restart")).map((line) => line.retryInMs);
  expect(retries).toEqual([40, 80, 80, 80]);
  expect(lines.at(-1)).toMatchObject({ msg: "stand-in restarted", attempt: 5 });
  await supervisor.stop();
});

test("after stop() a death is not restarted, a pending restart is called off, and one in progress is stopped", async () => {
  const { log, messages } = capture();
  const supervisor = createSupervisor(log, { ...BACKOFF, firstMs: 60_000 });
  const waiting = new FakeServer();
  let restarts = 0;
  supervisor.watch("waiting", waiting, async () => {
    restarts++;
    return new FakeServer();
  });
  waiting.kill();
  await until(() => messages().length === 1);

  const slow = createSupervisor(log, BACKOFF);
  const dying = new FakeServer();
  let started: FakeServer | undefined;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  slow.watch("slow", dying, async () => {
    await gate;
    return (started = new FakeServer());
  });
  dying.kill();
  await sleep(BACKOFF.firstMs * 3);

  const stopped = Promise.all([supervisor.stop(), slow.stop()]);
  release();
  await stopped;
  expect(restarts).toBe(0);
  expect(started?.stopped).toBe(true);

  const quiet = createSupervisor(log, BACKOFF);
  const server = new FakeServer();
  quiet.watch("quiet", server, async () => new FakeServer());
  await quiet.stop();
  server.kill();
  await sleep(BACKOFF.firstMs * 3);
  expect(messages().filter((m) => m.startsWith("quiet"))).toEqual([]);
});
