import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
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
 * data directory across restarts, crashes and stops. The tests run in order and share that
 * directory (each restart is the point of the next test); every process is killed in afterAll
 * whatever happens.
 */

const TEST_TIMEOUT = 120_000;

beforeAll(ensureBuild, 240_000);
afterAll(cleanUp, 60_000);

let dataDir: string;
/** The instance that later tests take over (crash, or borrow its servers). */
let running: Launch | undefined;

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
  if (!running || running.exit) throw new Error("needs the instance the previous test started, which is not running (see the earlier failure)");
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

describe("npm start with embedded PostgreSQL, Meilisearch and MailDev", () => {
  beforeAll(async () => {
    dataDir = await tempDataDir();
  });

  test(
    "first start: seeds the demo company, prints the URL, sign-ins and mail inbox, is ready; Ctrl-C stops everything",
    async () => {
      const commons = await launch({ dataDir, env: { LOG_LEVEL: "info" } });
      await waitUntilRunning(commons);

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
    "after kill -9 of the whole process group, the next start clears the stale pid files, comes up ready, and stops cleanly",
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

      // Ctrl-C in a terminal signals the whole foreground group, PostgreSQL, Meilisearch and MailDev included.
      const exit = await stop(commons, "SIGINT", { group: true });
      expect(describeExit(exit), commons.stderr).toBe("code 0");
      await expectNothingLeft(dataDir);
    },
    TEST_TIMEOUT,
  );

  test(
    "HOST=0.0.0.0 with the demo company still on its published password: exit 1 with one line saying how to remove it or accept it",
    async () => {
      const commons = await launch({ dataDir, env: { HOST: "0.0.0.0" } });
      const exit = await Promise.race([
        commons.exited,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running after 60 s:\n${commons.stderr}${commons.stdout}`)), 60_000)),
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
    "a company without the demo's people (generated or imported) starts without the demo sign-ins",
    async () => {
      const withDemo = await launch({ dataDir, env: { LOG_LEVEL: "info" } });
      await waitUntilRunning(withDemo);
      expect(withDemo.stdout).toContain("Demo sign-in");
      const sql = postgres(`postgres://commons:commons@127.0.0.1:${postgresPort(dataDir)}/commons`, { max: 1, onnotice: () => {} });
      try {
        await sql`update users set email = replace(email, '@', '.renamed@')`;
      } finally {
        await sql.end({ timeout: 5 });
      }
      expect(describeExit(await stop(withDemo, "SIGINT")), withDemo.stderr).toBe("code 0");

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
