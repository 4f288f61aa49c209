import { eq } from "drizzle-orm";
import { createApiToken } from "../app/features/api-tokens/tokens.server.ts";
import { unsubscribeKey, unsubscribeToken } from "../app/features/mail-prefs/unsubscribe.server.ts";
import { createScimToken } from "../app/features/scim/tokens.server.ts";
import type { Db } from "../db/client.server.ts";
import { chatConnections, spaces, users, webhookEndpoints } from "../db/schema/index.ts";

/**
 * What the bench's issue 21 rows need in the generated company: a personal access token for the
 * member (the API and MCP rows), a SCIM token (the SCIM row), an unsubscribe link of the member's
 * (the signed-out page), and one webhook endpoint and one chat connection for the admin's detail
 * pages. Both are made disabled, so the bench's writes send nothing anywhere.
 */
export async function integrationTargets(db: Db, memberEmail: string, adminEmail: string) {
  const [member] = await db.select().from(users).where(eq(users.email, memberEmail));
  const [admin] = await db.select().from(users).where(eq(users.email, adminEmail));
  if (!member || !admin) throw new Error("bench: the generated member or admin is missing");
  const { token: apiToken } = await createApiToken(db, member.id, { name: "bench", scope: "read", expiresInDays: null });
  const { token: scimToken } = await createScimToken(db, admin, "bench");
  const unsubscribePath = `/unsubscribe/${unsubscribeToken(await unsubscribeKey(db), member.id, "answers")}`;
  const [space] = await db.select({ id: spaces.id }).from(spaces).where(eq(spaces.visibility, "open")).limit(1);
  const [endpoint] = await db
    .insert(webhookEndpoints)
    .values({
      url: "https://hooks.example.com/commons",
      description: "Bench endpoint (disabled)",
      events: ["question.created", "answer.created"],
      secret: `whsec_${Buffer.from("bench-secret-bench-secret-bench!").toString("base64")}`,
      enabled: false,
      createdBy: admin.id,
    })
    .returning({ id: webhookEndpoints.id });
  const [chat] = await db
    .insert(chatConnections)
    .values({
      spaceId: space!.id,
      platform: "slack",
      url: "https://hooks.slack.example/services/T0/B0/bench",
      label: "Bench channel",
      events: ["question.created"],
      enabled: false,
      createdBy: admin.id,
    })
    .returning({ id: chatConnections.id });
  return { apiToken, scimToken, unsubscribePath, memberEmail, endpointPath: `/admin/integrations/webhooks/${endpoint!.id}`, chatPath: `/admin/integrations/chat/${chat!.id}` };
}

/** The MCP request the bench repeats: a search tool call (JSON-RPC over streamable HTTP, stateless). */
export function mcpSearchBody(query: string, id: number): string {
  return JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "search", arguments: { query } } });
}
