import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { clearStalePidFile, freePort, stopPid, waitFor } from "./processes.ts";

/**
 * Starts MailDev (npm package `maildev`, pinned exactly in package.json) when no SMTP_URL is set:
 * an SMTP server that keeps every mail and a web inbox to read them, both on 127.0.0.1, with the
 * mail under `<dataDir>/maildev/mail`. It runs as a child process, like embedded Meilisearch, so a
 * leftover of a crashed run is found through its pid file and stopped at the next start.
 */

export interface EmbeddedMailDev {
  /** Where the mailer sends (no TLS, no authentication: loopback only). */
  smtpUrl: string;
  /** The web inbox, also the base of MailDev's REST API (`/api/email`). */
  inboxUrl: string;
  /** Its two ports: a restart takes the same ones, which the mailer already holds. */
  smtpPort: number;
  webPort: number;
  pid: number;
  /** Resolves when the process exits, stopped or not, with how ("signal SIGKILL", "code 0"): the launcher's supervisor restarts it. */
  exited: Promise<string>;
  stop: () => Promise<void>;
}

/**
 * The process title MailDev runs under. It tells its leftovers apart from a pid reused by
 * something else, and keeps it out of "the node processes" of a launch: the process is MailDev,
 * not Commons.
 */
const TITLE = "maildev";

function smtpAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.setTimeout(1000);
    socket.once("data", (chunk: Buffer) => {
      socket.destroy();
      resolve(chunk.toString().startsWith("220"));
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function startEmbeddedMailDev(options: { dataDir: string; smtpPort?: number; webPort?: number; log?: (line: string) => void }): Promise<EmbeddedMailDev> {
  const dir = path.join(path.resolve(options.dataDir), "maildev");
  await mkdir(dir, { recursive: true });
  const pidFile = path.join(dir, "maildev.pid");
  const leftover = await clearStalePidFile(pidFile, TITLE, "SIGTERM");
  if (leftover !== "none") options.log?.(`embedded maildev: cleared a ${leftover === "stopped" ? "leftover server" : "stale pid file"} from an earlier run`);

  // The package exports only its library entry (dist/index.js); its command sits beside it.
  const bin = path.join(path.dirname(fileURLToPath(import.meta.resolve("maildev"))), "bin/maildev.js");
  const smtpPort = options.smtpPort ?? (await freePort());
  const webPort = options.webPort ?? (await freePort());
  const logFile = createWriteStream(path.join(dir, "maildev.log"), { flags: "a" });
  const child: ChildProcess = spawn(
    process.execPath,
    [
      `--title=${TITLE}`,
      bin,
      "--smtp",
      String(smtpPort),
      "--web",
      String(webPort),
      "--ip",
      "127.0.0.1",
      "--web-ip",
      "127.0.0.1",
      "--mail-directory",
      path.join(dir, "mail"),
      // A development inbox, not an archive: the oldest go once there are this many.
      "--max-emails",
      "1000",
      "--silent",
    ],
    // Its own directory as cwd: MailDev reads a config file from there, never the project's.
    { cwd: dir, env: { PATH: process.env.PATH ?? "" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.pipe(logFile);
  child.stderr?.pipe(logFile);
  let exited: string | undefined;
  const gone = new Promise<string>((resolve) =>
    child.on("exit", (code, signal) => {
      exited = `exited with ${signal ?? code}`;
      resolve(signal ? `signal ${signal}` : `code ${code}`);
    }),
  );
  if (!child.pid) throw new Error("embedded maildev could not be spawned");
  const pid = child.pid;
  await writeFile(pidFile, `${pid}\n`);
  const inboxUrl = `http://127.0.0.1:${webPort}`;

  try {
    await waitFor(
      "embedded maildev",
      async () => {
        if (exited) throw new Error(`embedded maildev ${exited}; see ${path.join(dir, "maildev.log")}`);
        const response = await fetch(`${inboxUrl}/api/healthz`).catch(() => undefined);
        return response?.ok === true && (await smtpAnswers(smtpPort));
      },
      30_000,
    );
  } catch (error) {
    await stopPid(pid);
    await rm(pidFile, { force: true });
    logFile.end();
    throw error;
  }

  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    inboxUrl,
    smtpPort,
    webPort,
    pid,
    exited: gone,
    stop: async () => {
      try {
        await stopPid(pid, "SIGTERM");
      } catch (error) {
        // Ctrl-C in a terminal signals MailDev too: it may be gone between the check and the kill.
        if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
      }
      await rm(pidFile, { force: true });
      logFile.end();
    },
  };
}
