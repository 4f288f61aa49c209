import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO_PASSWORD, DEMO_SIGN_INS } from "#db/seed-info.ts";
import { cleanUp, describeExit, ensureBuild, launch, type Launch, logLines, stop, tempDataDir, waitUntilRunning } from "./commons-process.ts";

/**
 * Issue 23, "the embedded servers die" and "PostgreSQL restarts under load": one `npm start` on
 * embedded PostgreSQL, Meilisearch and MailDev, whose servers are killed with SIGKILL in turn. The
 * launcher's supervisor (server/supervisor.ts) restarts each on its port and data directory; the
 * app is never restarted, and nothing acknowledged is lost. The tests run in order on the one
 * start (each start costs seconds); afterAll kills whatever is left.
 */

const TEST_TIMEOUT = 120_000;
/** A member of the Engineering space, who asks; another person, who asks for a password reset. */
const MEMBER = DEMO_SIGN_INS[3].email;
const RESETTING = DEMO_SIGN_INS[4].email;
const SPACE = "engineering";

beforeAll(ensureBuild, 240_000);
afterAll(cleanUp, 60_000);

let commons: Launch | undefined;
let cookie = "";
/** One word no seeded text holds, so a title made with it is found by it alone. */
const RUN = `zq${randomUUID().slice(0, 8)}`;

function running(): Launch {
  if (!commons) throw new Error("needs the instance the first test started (see the earlier failure)");
  if (commons.exit) throw new Error(`the instance exited (${describeExit(commons.exit)}):\n${commons.stderr.slice(-4000)}\n${commons.stdout.slice(-4000)}`);
  return commons;
}

function pidIn(file: string): number {
  return Number.parseInt(readFileSync(path.join(running().dataDir, file), "utf8").split("\n")[0] ?? "", 10);
}

function messages(): string[] {
  return logLines(running()).map((line) => line.msg ?? "");
}

async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s\n${running().stdout.slice(-4000)}`);
    await sleep(100);
  }
}

async function withDatabase<T>(run: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const port = Number(readFileSync(path.join(running().dataDir, "postgres/postmaster.pid"), "utf8").split("\n")[3]);
  const sql = postgres(`postgres://commons:commons@127.0.0.1:${port}/commons`, { max: 1, onnotice: () => {} });
  try {
    return await run(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** A form post as a page sends it (same Origin), signed in, without following the redirect. */
function post(pathname: string, fields: Record<string, string>): Promise<Response> {
  const { baseUrl } = running();
  return fetch(`${baseUrl}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: baseUrl, Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
}

function page(pathname: string): Promise<Response> {
  return fetch(`${running().baseUrl}${pathname}`, { redirect: "manual", headers: { Cookie: cookie } });
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
  return (await fetch(`${running().baseUrl}/readyz`)).status;
}

describe("npm start supervises its embedded servers", () => {
  test("starts, and a member signs in", async () => {
    commons = await launch({ dataDir: await tempDataDir(), env: { LOG_LEVEL: "info" } });
    // The first start migrates and seeds the demo company: generous on a busy machine.
    await waitUntilRunning(commons, 240_000);
    const signIn = await post("/sign-in", { email: MEMBER, password: DEMO_PASSWORD, redirectTo: "/" });
    expect(signIn.status).toBe(302);
    cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0]!;
    expect(cookie).toMatch(/=/);
    expect((await page("/")).status).toBe(200);
    expect(await readyStatus()).toBe(200);
  }, 300_000);

  test(
    "kill -9 of PostgreSQL: pages say 'back in a moment' (503), /readyz 503, then both recover without restarting the app",
    async () => {
      const app = running();
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
      expect(messages()).toContain("embedded postgres exited unexpectedly (signal SIGKILL): restarting in 1 s");
      expect(messages()).toContain("embedded postgres restarted");
      expect((await page("/")).status).toBe(200);
      // The same node process throughout: the app itself was not restarted.
      expect(app.exit).toBeUndefined();
      expect(running().pid).toBe(app.pid);
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
      const question = new URL(asked.headers.get("location") ?? "", running().baseUrl).pathname;
      expect(question).toMatch(/^\/questions\/\d+/);
      await until("Meilisearch restarted", async () => messages().includes("embedded meilisearch restarted"));
      expect(messages()).toContain("embedded meilisearch exited unexpectedly (signal SIGKILL): restarting in 1 s");
      // The outbox catches up: the question is found by its one unusual word (the results link to it;
      // the title itself is shown with the word highlighted).
      await until("the question in search", async () => (await (await page(`/search?q=${RUN}`)).text()).includes(`href="${question}`), 90_000);
    },
    TEST_TIMEOUT,
  );

  test(
    "kill -9 of MailDev: it comes back, and a mail sent while it was down arrives once",
    async () => {
      const inbox = /Mail inbox \(MailDev\): (http:\/\/127\.0\.0\.1:\d+)/.exec(running().stdout)?.[1];
      expect(inbox).toBeDefined();
      const to = RESETTING;
      process.kill(pidIn("maildev/maildev.pid"), "SIGKILL");
      const requested = await post("/forgot-password", { email: to });
      expect(requested.status).toBeLessThan(400);
      await until("MailDev restarted", async () => messages().includes("embedded maildev restarted"));
      expect(messages()).toContain("embedded maildev exited unexpectedly (signal SIGKILL): restarting in 1 s");
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
      const restartsBefore = messages().filter((m) => m === "embedded postgres restarted").length;
      process.kill(pidIn("postgres/postmaster.pid"), "SIGKILL");
      killed = true;
      await until("PostgreSQL restarted", async () => messages().filter((m) => m === "embedded postgres restarted").length > restartsBefore, 90_000);
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

  test(
    "Ctrl-C after all that stops everything, with no restart",
    async () => {
      const app = running();
      const exit = await stop(app, "SIGINT", { group: true });
      expect(describeExit(exit), app.stderr).toBe("code 0");
      // The four kills, four restarts: the servers that Ctrl-C stopped were not restarted.
      const restarts = logLines(app).filter((line) => line.msg?.endsWith(" restarted"));
      expect(restarts).toHaveLength(4);
    },
    TEST_TIMEOUT,
  );
});
