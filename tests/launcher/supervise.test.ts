import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO_PASSWORD, DEMO_SIGN_INS } from "#db/seed-info.ts";
import {
  cleanUp,
  describeExit,
  ensureBuild,
  killGroup,
  killPids,
  launch,
  type Launch,
  logLines,
  nodeProcesses,
  processesUsing,
  stop,
  tempDataDir,
  waitUntilGone,
  waitUntilRunning,
} from "./commons-process.ts";

/**
 * `npm start` end to end: the real server.ts, with embedded PostgreSQL, Meilisearch and MailDev, on one
 * data directory across restarts, crashes and stops; and (issue 23, "the embedded servers die" and
 * "PostgreSQL restarts under load") the launcher's supervisor (server/supervisor.ts), which restarts
 * each of those servers killed with SIGKILL on its port and data directory while the app keeps
 * running, with nothing acknowledged lost.
 *
 * Each start costs seconds, and the first, which migrates and seeds, most of a minute on a busy
 * machine, so one file shares them (the start and the supervision tests were two files with a
 * seeding start each until issue 23's suite went over its budget). The tests run in order, each
 * restart or crash the point of the next: the first start and its Ctrl-C, the refusals, restarts
 * and crashes, then the servers of the instance the last crash left running are killed in turn,
 * then Ctrl-C stops it all, and a last start finds a company without the demo's people. Every
 * process is killed in afterAll whatever happens.
 */

/** A start takes seconds alone, and up to a minute when the machine is busy (waitUntilRunning's limit is 2 minutes). */
const TEST_TIMEOUT = 180_000;
/** A member of the Engineering space, who asks; another person, who asks for a password reset. */
const MEMBER = DEMO_SIGN_INS[3].email;
const RESETTING = DEMO_SIGN_INS[4].email;
const SPACE = "engineering";

beforeAll(ensureBuild, 240_000);
afterAll(cleanUp, 60_000);

let dataDir: string;
/** The instance that later tests take over (crash, borrow its servers, or kill its servers). */
let running: Launch | undefined;
let cookie = "";
/** One word no seeded text holds, so a title made with it is found by it alone. */
const RUN = `zq${randomUUID().slice(0, 8)}`;

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function expectReady(commons: Launch): Promise<void> {
  const health = await getJson(`${commons.baseUrl}/healthz`);
  expect(health).toEqual({ status: 200, body: { status: "ok" } });
  const ready = await getJson(`${commons.baseUrl}/readyz`);
  expect(ready.status, JSON.stringify(ready.body)).toBe(200);
  expect(ready.body.status).toBe("ready");
}

/** The port the embedded PostgreSQL of a data directory listens on (line 4 of postmaster.pid). */
function postgresPort(dir: string): number {
  return Number(readFileSync(path.join(dir, "postgres/postmaster.pid"), "utf8").split("\n")[3]);
}

async function demoUsers(dir: string, database = "commons"): Promise<string[]> {
  const sql = postgres(`postgres://commons:commons@127.0.0.1:${postgresPort(dir)}/${database}`, { max: 1, onnotice: () => {} });
  try {
    // The people of the demo, not the stand-in author of anonymous questions (anonymous@commons.invalid).
    const rows = await sql<{ email: string }[]>`select email from users where email not like '%@commons.invalid' order by email`;
    return rows.map((row) => row.email);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** The instance an earlier test left running; a clear failure when that test failed. */
function previouslyRunning(): Launch {
  if (!running) throw new Error("needs the instance the previous test started, which is not running (see the earlier failure)");
  if (running.exit) throw new Error(`the instance the previous test started exited (${describeExit(running.exit)}):\n${running.stderr.slice(-4000)}\n${running.stdout.slice(-4000)}`);
  return running;
}

function messages(commons: Launch): string[] {
  return logLines(commons).map((line) => line.msg ?? "");
}

/** After a stop: no server of this data directory is left, and PostgreSQL shut down cleanly. */
async function expectNothingLeft(dir: string): Promise<void> {
  const left = await waitUntilGone(
    processesUsing(dir).map((p) => p.pid),
    5_000,
  );
  expect(left, JSON.stringify(processesUsing(dir))).toEqual([]);
  expect(existsSync(path.join(dir, "postgres/postmaster.pid"))).toBe(false);
  expect(existsSync(path.join(dir, "meili/meilisearch.pid"))).toBe(false);
  expect(existsSync(path.join(dir, "maildev/maildev.pid"))).toBe(false);
}

/** The embedded MailDev's inbox, as the banner prints it. */
function inboxUrl(commons: Launch): string {
  const url = /Mail inbox \(MailDev\): (http:\/\/127\.0\.0\.1:\d+)/.exec(commons.stdout)?.[1];
  if (!url) throw new Error(`no mail inbox in the banner:\n${commons.stdout}`);
  return url;
}

/** The pid a server of the running instance wrote to its pid file. */
function pidIn(file: string): number {
  return Number.parseInt(readFileSync(path.join(previouslyRunning().dataDir, file), "utf8").split("\n")[0] ?? "", 10);
}

async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s\n${previouslyRunning().stdout.slice(-4000)}`);
    await sleep(100);
  }
}

async function withDatabase<T>(run: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(`postgres://commons:commons@127.0.0.1:${postgresPort(dataDir)}/commons`, { max: 1, onnotice: () => {} });
  try {
    return await run(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** A form post as a page sends it (same Origin), signed in, without following the redirect. */
function post(pathname: string, fields: Record<string, string>): Promise<Response> {
  const { baseUrl } = previouslyRunning();
  return fetch(`${baseUrl}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: baseUrl, Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
}

function page(pathname: string): Promise<Response> {
  return fetch(`${previouslyRunning().baseUrl}${pathname}`, { redirect: "manual", headers: { Cookie: cookie } });
}

/** Asks a question through the ask form; the answer's status says whether it was taken (a redirect to it) or refused. */
function ask(title: string): Promise<Response> {
  return post("/questions/ask", {
    space: SPACE,
    title,
    body: `Asked by the supervision test while its servers are killed: ${title}.`,
    tags: "testing",
    submissionKey: randomUUID(),
  });
}

/** What a page looks like while the database is away: the calm 503, never a 500 or a stack trace. */
async function expectBackInAMoment(response: Response): Promise<void> {
  const html = await response.text();
  expect(response.status).toBe(503);
  expect(response.headers.get("retry-after")).toBe("5");
  expect(html).toContain("Back in a moment");
  expect(html).not.toMatch(/node_modules|\bat \S+ \(|Unexpected Server Error/);
}

async function readyStatus(): Promise<number> {
  return (await fetch(`${previouslyRunning().baseUrl}/readyz`)).status;
}

describe("npm start with embedded PostgreSQL, Meilisearch and MailDev", () => {
  beforeAll(async () => {
    dataDir = await tempDataDir();
  });

  test("first start: seeds the demo company, prints the URL, sign-ins and mail inbox, is ready; Ctrl-C stops everything", async () => {
    const commons = await launch({ dataDir, env: { LOG_LEVEL: "info" } });
    // The first start migrates and seeds the demo company: generous on a busy machine.
    await waitUntilRunning(commons, 240_000);

    expect(commons.stdout).toContain(`Commons is running at http://localhost:${commons.port}`);
    expect(commons.stdout).toContain(`Demo sign-in (password "${DEMO_PASSWORD}")`);
    for (const who of DEMO_SIGN_INS) expect(commons.stdout).toContain(who.email);
    // MailDev answers at the printed inbox, and holds its process beside PostgreSQL and Meilisearch.
    expect((await fetch(`${inboxUrl(commons)}/api/email`)).ok).toBe(true);
    expect(processesUsing(dataDir).map((p) => p.comm)).toContain("maildev");
    expect(messages(commons)).toContain("seeded the demo company: 40 people, 7 spaces");
    await expectReady(commons);
    const users = await demoUsers(dataDir);
    expect(users).toHaveLength(40);
    // Issue 19, forum server: the public forum runs beside it, as its own role, and says so in the banner.
    expect(commons.stdout).toContain(`Public forum: http://localhost:${commons.forumPort}`);
    const forum = await getJson(`http://127.0.0.1:${commons.forumPort}/readyz`);
    expect(forum).toEqual({ status: 200, body: { status: "ready", database: "ok" } });
    for (const who of DEMO_SIGN_INS) expect(users).toContain(who.email);

    const exit = await stop(commons, "SIGINT");
    expect(describeExit(exit), commons.stderr).toBe("code 0");
    expect(commons.stdout).toContain("SIGINT: stopping Commons");
    await expectNothingLeft(dataDir);
    // Issue 19, forum server: and the forum stopped with it.
    await expect(fetch(`http://127.0.0.1:${commons.forumPort}/healthz`)).rejects.toThrow();
  }, 300_000);

  test(
    "HOST=0.0.0.0 with the demo company still on its published password: exit 1 with one line saying how to remove it or accept it",
    async () => {
      const commons = await launch({ dataDir, env: { HOST: "0.0.0.0" } });
      const exit = await Promise.race([
        commons.exited,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running after 120 s:\n${commons.stderr}${commons.stdout}`)), 120_000)),
      ]);

      expect(describeExit(exit)).toBe("code 1");
      const lines = commons.stderr.split("\n").filter((line) => line.trim() !== "");
      expect(lines, commons.stderr).toHaveLength(1);
      expect(lines[0]).toContain("npm run demo:remove");
      expect(lines[0]).toContain("DEMO_ON_NETWORK=accept");
      expect(commons.stdout).not.toContain("Commons is running");
      await expectNothingLeft(dataDir);
    },
    TEST_TIMEOUT,
  );

  test(
    "second start on the same data: no new seed, same demo data, ready",
    async () => {
      const commons = await launch({ dataDir, env: { LOG_LEVEL: "info" } });
      running = commons;
      await waitUntilRunning(commons);

      expect(messages(commons)).toContain("embedded postgres started");
      expect(messages(commons).filter((m) => m.startsWith("seeded"))).toEqual([]);
      expect(messages(commons).filter((m) => m.includes("earlier run"))).toEqual([]);
      await expectReady(commons);
      expect(await demoUsers(dataDir)).toHaveLength(40);
      // Left running: the next test uses its servers.
    },
    TEST_TIMEOUT,
  );

  test(
    "with DATABASE_URL, MEILI_URL and SMTP_URL it starts no embedded servers and seeds nothing",
    async () => {
      const provider = previouslyRunning();
      const meiliUrl = logLines(provider).find((line) => line.msg === "embedded meilisearch started")?.url;
      expect(meiliUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const masterKey = readFileSync(path.join(dataDir, "meili-master-key"), "utf8").trim();
      const smtpUrl = logLines(provider).find((line) => line.msg === "embedded maildev started")?.smtp;
      expect(smtpUrl).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
      const ownDir = await tempDataDir();

      const commons = await launch({
        dataDir: ownDir,
        env: {
          LOG_LEVEL: "info",
          // A database of its own on the other instance's server: migrated, never seeded.
          DATABASE_URL: `postgres://commons:commons@127.0.0.1:${postgresPort(dataDir)}/commons_external`,
          MEILI_URL: String(meiliUrl),
          MEILI_MASTER_KEY: masterKey,
          SMTP_URL: String(smtpUrl),
          // The forum runs elsewhere (docker-compose.yml's forum service): no forum here, but its
          // database role gets this password, so that forum can sign in.
          FORUM_PORT: "",
          FORUM_DB_PASSWORD: "launcher-forum-password",
        },
      });
      await waitUntilRunning(commons);
      expect(commons.stdout).not.toContain("Public forum");
      const asForum = postgres(`postgres://commons_forum:launcher-forum-password@127.0.0.1:${postgresPort(dataDir)}/commons_external`, { max: 1, onnotice: () => {} });
      try {
        expect(await asForum`select count(*)::int as n from forum_threads`).toEqual([{ n: 0 }]);
        await expect(asForum`select count(*) from users`).rejects.toThrow(/permission denied/);
      } finally {
        await asForum.end();
      }

      expect(commons.stdout).toContain(`Commons is running at http://localhost:${commons.port}`);
      expect(commons.stdout).not.toContain("Demo sign-in");
      expect(commons.stdout).not.toContain("Mail inbox");
      expect(messages(commons).filter((m) => m.startsWith("embedded") || m.startsWith("seeded"))).toEqual([]);
      await expectReady(commons);
      expect(await demoUsers(dataDir, "commons_external")).toEqual([]);
      expect(processesUsing(ownDir)).toEqual([]);
      expect(readdirSync(ownDir)).toEqual([]);

      const exit = await stop(commons, "SIGTERM");
      expect(describeExit(exit), commons.stderr).toBe("code 0");
      // Stopping it left the other instance's servers alone.
      await expectReady(provider);
    },
    TEST_TIMEOUT,
  );

  test(
    "after kill -9 of the node processes, the next start stops the orphaned servers and comes up ready",
    async () => {
      const crashed = previouslyRunning();
      const nodes = nodeProcesses(crashed).map((p) => p.pid);
      expect(nodes.length).toBeGreaterThanOrEqual(1);
      killPids(nodes);
      expect(await waitUntilGone(nodes)).toEqual([]);
      await crashed.exited;
      // PostgreSQL, Meilisearch and MailDev outlive their parent.
      const orphans = processesUsing(dataDir);
      expect(orphans.map((p) => p.comm)).toEqual(expect.arrayContaining(["postgres", "meilisearch", "maildev"]));

      const commons = await launch({ dataDir, env: { LOG_LEVEL: "info" } });
      running = commons;
      await waitUntilRunning(commons);
      expect(messages(commons)).toEqual(
        expect.arrayContaining([
          "embedded postgres: cleared a leftover server from an earlier run",
          "embedded meilisearch: cleared a leftover server from an earlier run",
          "embedded maildev: cleared a leftover server from an earlier run",
        ]),
      );
      expect(
        await waitUntilGone(
          orphans.map((p) => p.pid),
          1_000,
        ),
      ).toEqual([]);
      await expectReady(commons);
      expect(await demoUsers(dataDir)).toHaveLength(40);
    },
    TEST_TIMEOUT,
  );

  test(
    "after kill -9 of the whole process group, the next start clears the stale pid files and comes up ready",
    async () => {
      const crashed = previouslyRunning();
      killGroup(crashed);
      await crashed.exited;
      await waitUntilGone(processesUsing(dataDir).map((p) => p.pid));
      expect(existsSync(path.join(dataDir, "postgres/postmaster.pid"))).toBe(true);

      const commons = await launch({ dataDir, env: { LOG_LEVEL: "info" } });
      running = commons;
      await waitUntilRunning(commons);
      expect(messages(commons)).toEqual(
        expect.arrayContaining([
          "embedded postgres: cleared a stale pid file from an earlier run",
          "embedded meilisearch: cleared a stale pid file from an earlier run",
          "embedded maildev: cleared a stale pid file from an earlier run",
        ]),
      );
      await expectReady(commons);
      expect(await demoUsers(dataDir)).toHaveLength(40);
      // Left running: its servers are killed next, and then it is stopped with Ctrl-C.
    },
    TEST_TIMEOUT,
  );

  describe("its supervisor restarts each embedded server killed under it, and the app recovers without a restart", () => {
    test("a member signs in", async () => {
      const signIn = await post("/sign-in", { email: MEMBER, password: DEMO_PASSWORD, redirectTo: "/" });
      expect(signIn.status).toBe(302);
      cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0]!;
      expect(cookie).toMatch(/=/);
      expect((await page("/")).status).toBe(200);
      expect(await readyStatus()).toBe(200);
    });

    test(
      "kill -9 of PostgreSQL: pages say 'back in a moment' (503), /readyz 503, then both recover without restarting the app",
      async () => {
        const app = previouslyRunning();
        process.kill(pidIn("postgres/postmaster.pid"), "SIGKILL");
        const pageStatuses: number[] = [];
        const readyStatuses: number[] = [];
        // Until /readyz is back: every page answer is the 503 page or, once restarted, the page itself.
        await until(
          "PostgreSQL back",
          async () => {
            const response = await page("/");
            pageStatuses.push(response.status);
            if (response.status === 503) await expectBackInAMoment(response);
            else expect(response.status).toBe(200);
            readyStatuses.push(await readyStatus());
            return readyStatuses.at(-1) === 200;
          },
          90_000,
        );
        expect(pageStatuses).toContain(503);
        expect(readyStatuses).toContain(503);
        expect(messages(previouslyRunning())).toContain("embedded postgres exited unexpectedly (signal SIGKILL): restarting in 1 s");
        expect(messages(previouslyRunning())).toContain("embedded postgres restarted");
        expect((await page("/")).status).toBe(200);
        // The same node process throughout: the app itself was not restarted.
        expect(app.exit).toBeUndefined();
        expect(previouslyRunning().pid).toBe(app.pid);
      },
      TEST_TIMEOUT,
    );

    test(
      "kill -9 of Meilisearch: it comes back, and a question asked while it was down is found",
      async () => {
        process.kill(pidIn("meili/meilisearch.pid"), "SIGKILL");
        const title = `Supervised search ${RUN} question asked while Meilisearch was down`;
        const asked = await ask(title);
        expect(asked.status).toBe(302);
        const question = new URL(asked.headers.get("location") ?? "", previouslyRunning().baseUrl).pathname;
        expect(question).toMatch(/^\/questions\/\d+/);
        await until("Meilisearch restarted", async () => messages(previouslyRunning()).includes("embedded meilisearch restarted"));
        expect(messages(previouslyRunning())).toContain("embedded meilisearch exited unexpectedly (signal SIGKILL): restarting in 1 s");
        // The outbox catches up: the question is found by its one unusual word (the results link to it;
        // the title itself is shown with the word highlighted).
        await until("the question in search", async () => (await (await page(`/search?q=${RUN}`)).text()).includes(`href="${question}`), 90_000);
      },
      TEST_TIMEOUT,
    );

    test(
      "kill -9 of MailDev: it comes back, and a mail sent while it was down arrives once",
      async () => {
        const inbox = /Mail inbox \(MailDev\): (http:\/\/127\.0\.0\.1:\d+)/.exec(previouslyRunning().stdout)?.[1];
        expect(inbox).toBeDefined();
        const to = RESETTING;
        process.kill(pidIn("maildev/maildev.pid"), "SIGKILL");
        const requested = await post("/forgot-password", { email: to });
        expect(requested.status).toBeLessThan(400);
        await until("MailDev restarted", async () => messages(previouslyRunning()).includes("embedded maildev restarted"));
        expect(messages(previouslyRunning())).toContain("embedded maildev exited unexpectedly (signal SIGKILL): restarting in 1 s");
        const sent = await until(
          "the reset mail sent",
          () =>
            withDatabase(async (sql) => {
              const rows = await sql<{ subject: string }[]>`select subject from mail_outbox where "to" = ${to} and template = 'reset-password' and status = 'done'`;
              return rows.length > 0 && rows;
            }),
          90_000,
        );
        expect(sent).toHaveLength(1);
        const mails = (await (await fetch(`${inbox}/api/email`)).json()) as Array<{ subject: string; to: Array<{ address: string }> }>;
        const ours = mails.filter((mail) => mail.subject === sent[0]!.subject && mail.to.some((r) => r.address === to));
        expect(ours, JSON.stringify(mails.map((mail) => [mail.subject, mail.to]))).toHaveLength(1);
      },
      TEST_TIMEOUT,
    );

    test(
      "PostgreSQL killed under a stream of writes: every acknowledged question is there, every refused one left nothing, the outbox drains",
      async () => {
        const taken: string[] = [];
        const refused: string[] = [];
        const other: string[] = [];
        let killed = false;
        let backAt = 0;
        let n = 0;
        const writer = async () => {
          // Writes before, during and after the outage, until a few have been taken after it.
          while (!killed || backAt === 0 || taken.length < backAt + 6) {
            const title = `Supervised load ${RUN} question number ${++n}`;
            const response = await ask(title).catch((error: unknown) => String(error));
            if (typeof response === "string") other.push(`${response} ${title}`);
            else if (response.status === 302) taken.push(title);
            else if (response.status === 503) {
              await expectBackInAMoment(response);
              refused.push(title);
            } else other.push(`${response.status} ${title}: ${(await response.text()).slice(0, 300)}`);
            if (other.length > 0 || n > 2000) return;
          }
        };
        const writers = [writer(), writer(), writer()];
        await until("some writes before the kill", async () => taken.length >= 6);
        const restartsBefore = messages(previouslyRunning()).filter((m) => m === "embedded postgres restarted").length;
        process.kill(pidIn("postgres/postmaster.pid"), "SIGKILL");
        killed = true;
        await until("PostgreSQL restarted", async () => messages(previouslyRunning()).filter((m) => m === "embedded postgres restarted").length > restartsBefore, 90_000);
        backAt = taken.length;
        await Promise.all(writers);

        expect(other).toEqual([]);
        expect(refused.length).toBeGreaterThan(0);
        const stored = await withDatabase(async (sql) => (await sql<{ title: string }[]>`select title from posts where title like ${`Supervised load ${RUN} %`}`).map((row) => row.title));
        // Each acknowledged write once, and nothing else: the refused ones left no row.
        expect([...stored].sort()).toEqual([...taken].sort());
        for (const title of refused) expect(stored).not.toContain(title);
        console.log(`supervise: ${taken.length} questions acknowledged and present, ${refused.length} refused with 503 and absent`);

        // The search outbox catches up with what was taken while PostgreSQL restarted.
        await until(
          "the search outbox drained",
          () => withDatabase(async (sql) => (await sql<{ n: number }[]>`select count(*)::int as n from outbox where status <> 'done'`)[0]!.n === 0),
          90_000,
        );
        expect(await readyStatus()).toBe(200);
      },
      TEST_TIMEOUT * 2,
    );
  });

  test("the demo's people renamed, as a generated or imported company has people of its own (for the last start)", async () => {
    await withDatabase((sql) => sql`update users set email = replace(email, '@', '.renamed@')`);
    const users = await demoUsers(dataDir);
    expect(users).toHaveLength(40);
    for (const who of DEMO_SIGN_INS) expect(users).not.toContain(who.email);
  });

  test(
    "Ctrl-C after all that stops everything, with no restart",
    async () => {
      const app = previouslyRunning();
      // Ctrl-C in a terminal signals the whole foreground group, PostgreSQL, Meilisearch and MailDev included.
      const exit = await stop(app, "SIGINT", { group: true });
      expect(describeExit(exit), app.stderr).toBe("code 0");
      // The four kills, four restarts: the servers that Ctrl-C stopped were not restarted, and
      // the restarted ones stopped with the rest.
      const restarts = logLines(app).filter((line) => line.msg?.endsWith(" restarted"));
      expect(restarts).toHaveLength(4);
      await expectNothingLeft(dataDir);
    },
    TEST_TIMEOUT,
  );
  test(
    "a company without the demo's people (generated or imported) starts without the demo sign-ins",
    async () => {
      // The same data as the first start's, which printed the demo sign-ins, with its people renamed above.
      const without = await launch({ dataDir, env: { LOG_LEVEL: "info" } });
      await waitUntilRunning(without);
      expect(without.stdout).toContain(`Commons is running at http://localhost:${without.port}`);
      expect(without.stdout).not.toContain("Demo sign-in");
      expect(messages(without).filter((m) => m.startsWith("seeded"))).toEqual([]);
      expect(describeExit(await stop(without, "SIGINT")), without.stderr).toBe("code 0");
      await expectNothingLeft(dataDir);
    },
    TEST_TIMEOUT,
  );
});
