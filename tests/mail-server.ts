import { setTimeout as sleep } from "node:timers/promises";
import { simpleParser, type AddressObject } from "mailparser";
import { SMTPServer } from "smtp-server";
import { freePort } from "../server/processes.ts";

/**
 * A real SMTP server for tests (`smtp-server`), on a free loopback port, that parses every message
 * it accepts (`mailparser`) and keeps it. It can be told to refuse messages with an SMTP error, to
 * answer slowly, or be stopped (connection refused) and started again on the same port: what a
 * failing, slow or down relay does to the mailer, without a mock.
 *
 *   const smtp = await startTestMailServer();
 *   const mail = await smtp.waitFor((m) => m.to.includes("ann@example.com"));
 */

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** Header names in lower case. */
  headers: Map<string, unknown>;
}

export interface TestMailServer {
  readonly port: number;
  /** For the mailer's transport (no TLS, no authentication). */
  readonly url: string;
  /** Everything accepted so far, in arrival order. */
  readonly messages: ReceivedMail[];
  /** Messages whose data is being received and not answered yet (a slow server holds them here). */
  readonly inFlight: number;
  /** Resolves with the first message (already received or arriving) that matches. */
  waitFor: (predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number) => Promise<ReceivedMail>;
  /** Answers every message with this SMTP reply (e.g. 451 or 550) instead of accepting it; null accepts again. */
  refuseWith: (responseCode: number | null) => void;
  /** Waits this long before answering each message's data. */
  delay: (ms: number) => void;
  /** Stops listening: connections are refused, as from a server that is down. */
  stop: () => Promise<void>;
  /** Listens again, on the same port. */
  start: () => Promise<void>;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((a) => a.value.map((v) => (v.address ?? "").toLowerCase()));
}

export async function startTestMailServer(): Promise<TestMailServer> {
  const port = await freePort();
  const messages: ReceivedMail[] = [];
  let refusal: number | null = null;
  let delayMs = 0;
  let inFlight = 0;
  let server: SMTPServer | undefined;

  const create = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      // stop() is a server going down: open connections (the mailer keeps one pooled) are dropped at
      // once, not after smtp-server's default 30 s of waiting for them to quit.
      closeTimeout: 50,
      onData(stream, _session, callback) {
        const parsing = simpleParser(stream);
        inFlight += 1;
        void (async () => {
          const parsed = await parsing;
          if (delayMs > 0) await sleep(delayMs);
          if (refusal !== null) {
            callback(Object.assign(new Error(`test server refuses mail (${refusal})`), { responseCode: refusal }));
            return;
          }
          messages.push({
            to: addresses(parsed.to),
            from: addresses(parsed.from)[0] ?? "",
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            messageId: parsed.messageId ?? "",
            headers: parsed.headers as Map<string, unknown>,
          });
          callback();
        })()
          .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))))
          .finally(() => {
            inFlight -= 1;
          });
      },
    });

  const start = async () => {
    server = create();
    await new Promise<void>((resolve, reject) => {
      server!.once("error", reject);
      server!.listen(port, "127.0.0.1", () => resolve());
    });
  };
  await start();

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    get inFlight() {
      return inFlight;
    },
    waitFor: async (predicate, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching mail within ${timeoutMs} ms; received: ${JSON.stringify(messages.map((m) => [m.to, m.subject]))}`);
        await sleep(20);
      }
    },
    refuseWith: (code) => {
      refusal = code;
    },
    delay: (ms) => {
      delayMs = ms;
    },
    stop: async () => {
      const closing = server;
      server = undefined;
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    start,
  };
}
