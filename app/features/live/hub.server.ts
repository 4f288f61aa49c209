import type { Db } from "#db/client.server.ts";
import { LiveHub } from "../../../server/live-hub.ts";
import { liveStateJson } from "./sessions.server.ts";

/**
 * The app's live hub: one per process (per database client, which is one per process outside the
 * tests), started by the first reader. Its events carry the session's state as JSON, which the
 * page's question list renders (app/components/live).
 */
const hubs = new WeakMap<Db, LiveHub>();

export async function appLiveHub(db: Db): Promise<LiveHub> {
  let hub = hubs.get(db);
  if (!hub) {
    hub = new LiveHub(db, (sessionId) => liveStateJson(db, sessionId));
    hubs.set(db, hub);
  }
  await hub.start();
  return hub;
}
