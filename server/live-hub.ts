import type { Db } from "#db/client.server.ts";

/**
 * The live sessions' Server-Sent Events hub, one per process (the app has one, the forum has one).
 *
 * Readers of a live session page keep an `EventSource` open. The hub holds their streams, LISTENs
 * once on the PostgreSQL channel `commons_live` (whatever the number of readers), and on a notify
 * for a session that has readers loads that session's state once and writes the same event to all
 * of them: no reader polls, and a write on any instance (or in the other process) reaches every
 * reader everywhere, because every writer sends `pg_notify('commons_live', '<session id>')` in its
 * transaction (delivered at commit). The state is loaded by a function the process gives the hub,
 * so the forum reads as its own role and renders its own HTML, and the app reads as the app.
 */

export const LIVE_CHANNEL = "commons_live";
/** Open streams per process; beyond it a reader gets a 503 and the page still works without updates. */
export const MAX_STREAMS = 2000;
/** A comment line now and then keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 25_000;
/** How long a browser waits before reconnecting a dropped stream. */
const RETRY_MS = 3_000;

/** Where the hub writes a reader's events: an express response, or a web stream's controller. */
export interface LiveStream {
  write(chunk: string): void;
  end(): void;
}

/** The state of a session as its readers get it (already serialized), or null when it is gone. */
export type LiveLoader = (sessionId: number) => Promise<string | null>;

interface SessionReaders {
  streams: Set<LiveStream>;
  /** A load is running: what arrives meanwhile waits for the next one (writes keep their order). */
  running: boolean;
  wantAll: boolean;
  wantSome: Set<LiveStream>;
}

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-store",
  // nginx and friends buffer responses unless told not to; an event must leave at once.
  "X-Accel-Buffering": "no",
  Connection: "keep-alive",
} as const;

/** One event in the SSE format: every line of the data gets its own `data:` prefix. */
export function sseEvent(event: string, data: string): string {
  return `event: ${event}\n${data
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}`)
    .join("\n")}\n\n`;
}

export class LiveHub {
  private readonly sessions = new Map<number, SessionReaders>();
  private open = 0;
  private listener: { unlisten(): Promise<void> } | null = null;
  private starting: Promise<void> | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  /** How many times this hub has LISTENed (1 after start, whatever the readers): for tests and logs. */
  listens = 0;
  /** How many state loads it made. */
  loads = 0;

  constructor(
    private readonly db: Db,
    private readonly load: LiveLoader,
    private readonly options: { maxStreams?: number; heartbeatMs?: number; onError?: (error: unknown) => void } = {},
  ) {}

  /** Open streams in this process. */
  get size(): number {
    return this.open;
  }

  /** No room for another stream in this process. */
  get full(): boolean {
    return this.open >= (this.options.maxStreams ?? MAX_STREAMS);
  }

  /** LISTENs once; later calls wait for the same start. */
  start(): Promise<void> {
    this.starting ??= this.listen().catch((error: unknown) => {
      // A failed LISTEN (the database restarting) is tried again by the next reader.
      this.starting = null;
      throw error;
    });
    return this.starting;
  }

  private async listen(): Promise<void> {
    {
      let first = true;
      this.listener = await this.db.$client.listen(
        LIVE_CHANNEL,
        (payload) => {
          const id = Number(payload);
          if (Number.isSafeInteger(id) && id > 0) this.schedule(id, "all");
        },
        // Called at the first LISTEN and after every reconnect: what changed while the connection
        // was down was not notified, so everyone gets a fresh state.
        () => {
          this.listens++;
          if (first) first = false;
          else for (const id of this.sessions.keys()) this.schedule(id, "all");
        },
      );
      this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs ?? HEARTBEAT_MS);
      this.heartbeat.unref();
    }
  }

  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    for (const readers of this.sessions.values()) for (const stream of readers.streams) safely(() => stream.end());
    this.sessions.clear();
    this.open = 0;
    const listener = this.listener;
    this.listener = null;
    this.starting = null;
    if (listener) await listener.unlisten().catch(() => undefined);
  }

  /**
   * Registers a reader of a session and sends it the current state (loaded in turn with the
   * session's other loads, so it never overtakes a newer one). Returns the function that forgets
   * it (call it when the connection closes), or null when the process has too many streams open.
   */
  subscribe(sessionId: number, stream: LiveStream): (() => void) | null {
    if (this.full) return null;
    let readers = this.sessions.get(sessionId);
    if (!readers) {
      readers = { streams: new Set(), running: false, wantAll: false, wantSome: new Set() };
      this.sessions.set(sessionId, readers);
    }
    readers.streams.add(stream);
    this.open++;
    safely(() => stream.write(`retry: ${RETRY_MS}\n\n`));
    this.schedule(sessionId, stream);
    let gone = false;
    return () => {
      if (gone) return;
      gone = true;
      this.forget(sessionId, stream);
    };
  }

  /** Loads a session's state now and sends it to its readers (what a notify does). */
  publish(sessionId: number): void {
    this.schedule(sessionId, "all");
  }

  private forget(sessionId: number, stream: LiveStream) {
    const readers = this.sessions.get(sessionId);
    if (!readers?.streams.delete(stream)) return;
    readers.wantSome.delete(stream);
    this.open--;
    if (readers.streams.size === 0 && !readers.running) this.sessions.delete(sessionId);
  }

  private schedule(sessionId: number, target: LiveStream | "all") {
    const readers = this.sessions.get(sessionId);
    if (!readers) return;
    if (target === "all") readers.wantAll = true;
    else readers.wantSome.add(target);
    if (!readers.running) void this.drain(sessionId, readers);
  }

  private async drain(sessionId: number, readers: SessionReaders) {
    readers.running = true;
    try {
      while (readers.wantAll || readers.wantSome.size > 0) {
        const targets = readers.wantAll ? [...readers.streams] : [...readers.wantSome].filter((s) => readers.streams.has(s));
        readers.wantAll = false;
        readers.wantSome = new Set();
        if (targets.length === 0) continue;
        let state: string | null;
        try {
          this.loads++;
          state = await this.load(sessionId);
        } catch (error) {
          this.options.onError?.(error);
          continue;
        }
        const chunk = state === null ? sseEvent("gone", "") : sseEvent("update", state);
        for (const stream of targets) safely(() => stream.write(chunk));
        if (state === null) {
          for (const stream of [...readers.streams]) {
            safely(() => stream.end());
            this.forget(sessionId, stream);
          }
        }
      }
    } finally {
      readers.running = false;
      if (readers.streams.size === 0) this.sessions.delete(sessionId);
    }
  }

  private beat() {
    for (const readers of this.sessions.values()) for (const stream of readers.streams) safely(() => stream.write(": ping\n\n"));
  }
}

/** A reader that went away mid-write is forgotten by its close handler; the others go on. */
function safely(run: () => void) {
  try {
    run();
  } catch {
    // The stream is closed; its close handler removes it.
  }
}

/**
 * A web `Response` streaming a session's events (the app's resource route): registered with the
 * hub, forgotten when the request is aborted. Null when the hub is full.
 */
export function liveResponse(hub: LiveHub, sessionId: number, signal: AbortSignal): Response | null {
  if (hub.full) return null;
  const encoder = new TextEncoder();
  let unsubscribe: (() => void) | null = null;
  let closed = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const stream: LiveStream = {
        write: (chunk) => {
          if (!closed) controller.enqueue(encoder.encode(chunk));
        },
        end: () => {
          if (closed) return;
          closed = true;
          controller.close();
        },
      };
      unsubscribe = hub.subscribe(sessionId, stream);
      const finish = () => {
        unsubscribe?.();
        stream.end();
      };
      if (signal.aborted) finish();
      else signal.addEventListener("abort", finish, { once: true });
    },
    cancel() {
      closed = true;
      unsubscribe?.();
    },
  });
  return new Response(body, { status: 200, headers: SSE_HEADERS });
}

/** An express response streaming a session's events (the forum's route). False when the hub is full. */
export function liveExpressStream(
  hub: LiveHub,
  sessionId: number,
  req: { on(event: "close", listener: () => void): unknown },
  res: { setHeader(name: string, value: string): unknown; flushHeaders(): void; write(chunk: string): boolean; end(): unknown; writableEnded: boolean },
): boolean {
  if (hub.full) return false;
  for (const [name, value] of Object.entries(SSE_HEADERS)) res.setHeader(name, value);
  res.flushHeaders();
  const unsubscribe = hub.subscribe(sessionId, {
    write: (chunk) => {
      if (!res.writableEnded) res.write(chunk);
    },
    end: () => {
      if (!res.writableEnded) res.end();
    },
  });
  if (!unsubscribe) {
    res.end();
    return true;
  }
  req.on("close", unsubscribe);
  return true;
}
