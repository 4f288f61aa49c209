import { createServer, type Server } from "node:http";
import path from "node:path";
import { createRequestHandler } from "@react-router/express";
import express from "express";
import type { ServerBuild } from "react-router";
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { type Env, parseEnv } from "../app/lib/env.server.ts";
import { createDb } from "../db/client.server.ts";
import { users } from "../db/schema/index.ts";
import { DEMO_SIGN_INS } from "../db/seed-info.ts";
import { DemoOnNetworkError, demoOnNetworkProblem, isLoopbackHost } from "../db/demo-remove.ts";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../db/embedded.ts";
import { ensureDatabase, runMigrations } from "../db/migrate.ts";
import { projectRoot } from "../db/project-root.ts";
import { createMeiliClient } from "../search/client.server.ts";
import { startEmbeddedMeili, type EmbeddedMeili } from "../search/embedded.ts";
import { applyIndexSettings } from "../search/indexes.ts";
// Issue 19, forum search: the forum's search-only key.
import { ensureForumSearchKey } from "../search/forum.server.ts";
import { startReconcileJob } from "../search/reconcile.server.ts";
import { startRelay } from "../search/relay.server.ts";
import { startExpertiseWorker } from "../app/features/expertise/worker.server.ts";
import { createMailTransport, startMailer } from "../app/features/mail/mailer.server.ts";
import { startEmbeddedMailDev, type EmbeddedMailDev } from "./embedded-maildev.ts";
import { startHousekeeping } from "./housekeeping.ts";
import { startScheduler } from "./scheduler.ts";
// @forum-intake
import { startForumIntake } from "../app/features/forum-queue/intake.server.ts";
// Issue 21: where people already work (docs/decisions/015-integrations.md).
import { createApiRouter } from "../app/features/api/router.server.ts";
import { createMcpRouter } from "../app/features/mcp/router.server.ts";
import { createScimRouter } from "../app/features/scim/router.server.ts";
import { createMetrics } from "../app/features/metrics/metrics.server.ts";
import { startMailNotifications } from "../app/features/mail-prefs/worker.server.ts";
import { oneClickUnsubscribe } from "../app/features/mail-prefs/one-click.server.ts";
import { startWebhookWorker } from "../app/features/webhooks/worker.server.ts";
import { createLogger, type Logger } from "./logger.ts";
// Issue 23: the embedded servers are restarted when they die (server/supervisor.ts).
import { createSupervisor } from "./supervisor.ts";
import { FORM_BODY_LIMIT, answerUnhandledErrors, limitRequestBody, refuseNulInUrl, requestLogging, sameOriginOnly, securityHeaders } from "./http.ts";
import { withTypedErrors } from "./route-errors.ts";
// Issue 19, forum server: the public forum beside the app, as a child process.
import { enableForumRole, forumPort, startForumProcess } from "./forum-process.ts";

const ROOT = projectRoot();

export interface RunningCommons {
  url: string;
  env: Env;
  embedded: { postgres: boolean; meili: boolean; maildev: boolean };
  /** The embedded MailDev's web inbox, when no SMTP_URL is set. */
  mailInboxUrl?: string;
  /** Whether the demo company's sign-ins exist here (not in a generated or an imported company). */
  demo: boolean;
  // Issue 19, forum server: the public forum's address, when this start runs it.
  forumUrl?: string;
  stop: () => Promise<void>;
}

/**
 * Boots Commons: validates configuration, starts embedded PostgreSQL and Meilisearch when no
 * servers are configured, migrates, seeds the demo company on a first embedded start, then serves
 * the app. `stop()` closes everything it started, in reverse order.
 */
export async function startCommons(options: {
  mode: "production" | "development";
  log?: Logger;
  /** Fixed ports for the embedded MailDev (the end-to-end tests read its inbox); free ones otherwise. */
  maildev?: { smtpPort?: number; webPort?: number };
}): Promise<RunningCommons> {
  const env = parseEnv(process.env);
  const log = options.log ?? createLogger(env.LOG_LEVEL);
  const stops: Array<() => Promise<void>> = [];
  // Issue 23: restarts what it started and what dies unasked; it stops watching before anything is stopped.
  const supervisor = createSupervisor(log);
  const stopAll = async () => {
    await supervisor.stop();
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log.error({ err: error }, "error while stopping"));
    stops.length = 0;
  };

  try {
    let pg: EmbeddedPostgres | undefined;
    if (!env.DATABASE_URL) {
      pg = await startEmbeddedPostgres({ dataDir: env.DATA_DIR, log: (line) => log.info(line) });
      const port = pg.port;
      const watched = supervisor.watch("embedded postgres", pg, () => startEmbeddedPostgres({ dataDir: env.DATA_DIR, port, log: (line) => log.info(line) }));
      stops.push(() => watched.current().stop());
      process.env.DATABASE_URL = pg.url("commons");
      log.info({ port: pg.port, socket: pg.socketPath ?? null }, "embedded postgres started");
    }
    let meili: EmbeddedMeili | undefined;
    if (!env.MEILI_URL) {
      meili = await startEmbeddedMeili({ dataDir: env.DATA_DIR, log: (line) => log.info(line) });
      const port = meili.port;
      const watched = supervisor.watch("embedded meilisearch", meili, () => startEmbeddedMeili({ dataDir: env.DATA_DIR, port, log: (line) => log.info(line) }));
      stops.push(() => watched.current().stop());
      process.env.MEILI_URL = meili.url;
      process.env.MEILI_MASTER_KEY = meili.masterKey;
      log.info({ url: meili.url }, "embedded meilisearch started");
    }
    let maildev: EmbeddedMailDev | undefined;
    if (!env.SMTP_URL) {
      maildev = await startEmbeddedMailDev({ dataDir: env.DATA_DIR, ...options.maildev, log: (line) => log.info(line) });
      const ports = { smtpPort: maildev.smtpPort, webPort: maildev.webPort };
      const watched = supervisor.watch("embedded maildev", maildev, () => startEmbeddedMailDev({ dataDir: env.DATA_DIR, ...ports, log: (line) => log.info(line) }));
      stops.push(() => watched.current().stop());
      process.env.SMTP_URL = maildev.smtpUrl;
      log.info({ smtp: maildev.smtpUrl, inbox: maildev.inboxUrl }, "embedded maildev started");
    }
    const databaseUrl = process.env.DATABASE_URL!;
    await ensureDatabase(databaseUrl);
    await runMigrations(databaseUrl);

    // Never put the published demo password on a network by ourselves (see demoOnNetworkProblem below).
    const demoMayBeServed = isLoopbackHost(env.HOST) || env.DEMO_ON_NETWORK === "accept";
    if (pg && env.DEMO_SEED === "auto" && !demoMayBeServed) log.info({ host: env.HOST }, "no demo seed: HOST serves a network (DEMO_ON_NETWORK=accept allows it)");
    if (pg && env.DEMO_SEED === "auto" && demoMayBeServed) {
      const { seedDemoIfEmpty } = await import("../db/seed.ts");
      await seedDemoIfEmpty(databaseUrl, (line) => log.info(line));
    }

    // The embedded server's Unix socket when it has one: half the CPU per statement of loopback TCP.
    const db = createDb(databaseUrl, { socketPath: pg?.socketPath ?? env.DATABASE_SOCKET });
    stops.push(() => db.close());
    const demoProblem = await demoOnNetworkProblem(db, env);
    if (demoProblem) throw new DemoOnNetworkError(demoProblem);
    const demo =
      pg !== undefined && env.DEMO_SEED === "auto" && (await db.$count(users, and(eq(users.email, DEMO_SIGN_INS[0]!.email), isNull(users.deactivatedAt), isNotNull(users.passwordHash)))) > 0;
    const stopHousekeeping = startHousekeeping(db, log);
    stops.push(async () => stopHousekeeping());
    // Scheduled articles go out within a minute of their time.
    const stopScheduler = startScheduler(db, log);
    stops.push(async () => stopScheduler());

    // Search is optional at start: when Meilisearch is down the app serves, writes queue in the
    // outbox, and the relay catches up once it is back.
    const meiliUrl = process.env.MEILI_URL!;
    const meiliKey = process.env.MEILI_MASTER_KEY;
    const applySettings = async () => {
      try {
        await applyIndexSettings(createMeiliClient(meiliUrl, meiliKey, 10_000), "", 10_000);
        // Issue 19, forum search: once its index exists, the forum's key (search in that index only)
        // goes to forum_runtime for the forum process; retried with the settings while Meilisearch is down.
        await ensureForumSearchKey(createMeiliClient(meiliUrl, meiliKey, 10_000), db);
        return true;
      } catch (error) {
        log.warn({ err: error }, "search: could not apply index settings (is Meilisearch up?); trying again in 30 s");
        return false;
      }
    };
    if (!(await applySettings())) {
      // Until the settings are in, filters and sorts would fail on the indexes: keep trying.
      const retry = setInterval(() => void applySettings().then((done) => done && clearInterval(retry)), 30_000).unref();
      stops.push(async () => clearInterval(retry));
    }
    const stopRelay = startRelay(db, { databaseUrl, meiliUrl, meiliKey, log });
    stops.push(stopRelay);
    // The expertise model follows the work from its own outbox (app/features/expertise), off the request path.
    const stopExpertise = startExpertiseWorker(db, { databaseUrl, log });
    stops.push(stopExpertise);
    // Mail goes out after commit, from the outbox: an SMTP server that is down or slow delays mail, never a request.
    const stopMailer = startMailer(db, { transport: createMailTransport(process.env.SMTP_URL!), from: env.MAIL_FROM, databaseUrl, log });
    stops.push(stopMailer);
    // Repairs drift the outbox cannot see (an index restored from an old dump, data older than the outbox).
    const stopReconcile = startReconcileJob(db, createMeiliClient(meiliUrl, meiliKey, 60_000), log);
    stops.push(async () => stopReconcile());
    // What requests search with: the short timeout, so a slow Meilisearch makes a page say so quickly.
    const search = createMeiliClient(meiliUrl, meiliKey);
    // @forum-intake
    // Customers' questions from the forum (NOTIFY commons_forum_intake, and a sweep each minute) are
    // routed to their topics' SMEs and responders and run past the escalation rules (app/features/forum-queue).
    const stopForumIntake = await startForumIntake({ db, log, search });
    stops.push(stopForumIntake);

    // Issue 21: notifications by mail (now, or in daily and weekly digests), and webhook and chat deliveries.
    const stopMailNotifications = startMailNotifications(db, { databaseUrl, log });
    stops.push(stopMailNotifications);
    const stopWebhooks = startWebhookWorker(db, { databaseUrl, log });
    stops.push(stopWebhooks);
    const services = { db, search, log, env };
    const metrics = createMetrics(services);

    const app = express();
    app.disable("x-powered-by");
    app.set("trust proxy", env.TRUST_PROXY);
    app.use(requestLogging(log));
    app.use(metrics.requestTimer);
    app.use(securityHeaders({ csp: options.mode === "production" }));
    // Before anything reads a body (the session lookup included): a huge post is refused, never buffered.
    // The upload route (POST /uploads) enforces UPLOAD_MAX_BYTES itself, the same way (the declared
    // length first, then counting) but with a message about files: app/features/uploads.
    app.use(limitRequestBody((req) => (req.method === "POST" && req.path === "/uploads" ? Number.MAX_SAFE_INTEGER : FORM_BODY_LIMIT)));
    app.use(refuseNulInUrl);
    // Issue 21: the services for other systems authenticate with bearer tokens, never cookies, so they
    // come before the same-origin check (which guards the cookie-authenticated pages from CSRF).
    app.get("/metrics", metrics.handler);
    // Issue 21: one-click unsubscribe (RFC 8058): mail clients post it with no cookie and no Origin; the token is the authority.
    app.post("/unsubscribe/:token", oneClickUnsubscribe(db, log));
    app.use("/api/v1", createApiRouter(services));
    app.use("/mcp", createMcpRouter(services));
    app.use("/scim/v2", createScimRouter(services));
    app.use(sameOriginOnly(env.APP_URL));

    let build: ServerBuild | (() => Promise<ServerBuild>);
    if (options.mode === "development") {
      const vite = await import("vite");
      const devServer = await vite.createServer({ root: ROOT, server: { middlewareMode: true } });
      stops.push(() => devServer.close());
      app.use(devServer.middlewares);
      // Vite hands back the same build until a file changes: convert each one once.
      const converted = new WeakMap<ServerBuild, ServerBuild>();
      build = async () => {
        const loaded = (await devServer.ssrLoadModule("virtual:react-router/server-build")) as ServerBuild;
        if (!converted.has(loaded)) converted.set(loaded, withTypedErrors(loaded));
        return converted.get(loaded)!;
      };
    } else {
      // COMMONS_BUILD_DIR: the benchmark serves a build of its own (react-router.config.ts).
      const buildDir = path.resolve(ROOT, process.env.COMMONS_BUILD_DIR ?? "build");
      build = withTypedErrors((await import(path.join(buildDir, "server/index.js"))) as ServerBuild);
      app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
      app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
    }
    app.all(
      "/{*splat}",
      createRequestHandler({
        build,
        mode: options.mode,
        getLoadContext: (req, res) => ({
          db,
          search,
          requestId: res.locals.requestId as string,
          log: res.locals.log as Logger,
          clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown",
          cspNonce: res.locals.cspNonce as string,
        }),
      }),
    );

    // Issue 23: what escapes every route answers in one plain line, never with a stack trace.
    app.use(answerUnhandledErrors(log));

    const server: Server = createServer(app);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(env.PORT, env.HOST, () => resolve());
    });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );

    const address = server.address();
    const port = typeof address === "object" && address ? address.port : env.PORT;
    const url = env.APP_URL ?? `http://localhost:${port}`;
    // Issue 19, forum server: with FORUM_PORT, or on the embedded servers (port 3001), the public
    // forum runs beside the app in a process of its own (server/forum-process.ts). A forum that
    // was asked for by FORUM_PORT must start; the embedded default only logs why it could not
    // (something else on 3001 should not keep the internal app from serving).
    let forumUrl: string | undefined;
    const forumAt = forumPort(env, Boolean(pg));
    if (forumAt !== undefined) {
      try {
        const forum = await startForumProcess({ db, env, port: forumAt, databaseUrl, databaseSocket: pg?.socketPath ?? env.DATABASE_SOCKET, meiliUrl, log });
        stops.push(forum.stop);
        forumUrl = forum.url;
      } catch (error) {
        if (env.FORUM_PORT !== undefined) throw error;
        log.error({ err: error, port: forumAt }, "forum: the public forum could not start (set FORUM_PORT to another port)");
      }
    } else if (env.FORUM_DB_PASSWORD) {
      // The forum runs elsewhere (docker-compose.yml's forum service) and signs in with this password.
      await enableForumRole(db, env.FORUM_DB_PASSWORD);
      log.info("forum: the forum's database role may sign in (FORUM_DB_PASSWORD)");
    }
    return {
      url,
      env,
      embedded: { postgres: Boolean(pg), meili: Boolean(meili), maildev: Boolean(maildev) },
      mailInboxUrl: maildev?.inboxUrl,
      demo,
      forumUrl,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
