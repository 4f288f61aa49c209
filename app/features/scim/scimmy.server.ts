import SCIMMY from "scimmy";
import { isScimError } from "./errors.ts";
import { createScimGroup, deleteScimGroup, getScimGroup, replaceScimGroup } from "./groups.server.ts";
import { createScimUser, deleteScimUser, getScimUser, replaceScimUser, type ScimContext, type WriteContext } from "./users.server.ts";

/**
 * scimmy's side: the service provider's configuration and the User and Group resources, whose
 * ingress (create, replace), egress (read one) and degress (delete) handlers call our features.
 * scimmy keeps its declarations in module state, so they are made once per process; everything a
 * request needs (its transaction above all) travels in the handler's context.
 */

/** The most resources one list answers (ServiceProviderConfig's filter.maxResults). */
export const MAX_RESULTS = 200;

/** A request's context, plus the first failure that was not a SCIM error (scimmy would turn it into a 404). */
export type HandlerContext = ScimContext & { failure?: unknown; patch?: boolean };

let declared = false;

/**
 * Runs a handler; an unexpected failure (the database down, a bug) is remembered in the context, so
 * the router answers it as the 500 it is instead of the "not found" scimmy makes of any error it
 * does not know.
 */
async function guarded<T>(ctx: HandlerContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isScimError(error)) ctx.failure ??= error;
    throw error;
  }
}

/** What scimmy validated, as plain JSON (its schema instances carry getters and an extension's namespaced key). */
const plain = (instance: unknown) => JSON.parse(JSON.stringify(instance)) as Record<string, unknown>;

const write = (ctx: HandlerContext) => ctx as HandlerContext & WriteContext;

export function declareScimResources(basepath: string): void {
  if (!declared) {
    SCIMMY.Config.set({
      patch: true,
      filter: { supported: true, maxResults: MAX_RESULTS },
      bulk: false,
      sort: false,
      etag: false,
      changePassword: false,
      authenticationSchemes: [
        {
          type: "oauthbearertoken",
          name: "Bearer token",
          description: "A SCIM token an admin makes in Admin → Integrations → SCIM, sent as Authorization: Bearer <token>.",
          primary: true,
        },
      ],
    });
    SCIMMY.Resources.declare(SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false));
    SCIMMY.Resources.declare(SCIMMY.Resources.Group);
    // The handlers answer plain objects that scimmy formats; its typings expect its own schema classes.
    SCIMMY.Resources.User.ingress(((resource: { id?: string }, instance: unknown, ctx: HandlerContext) =>
      guarded(ctx, () => (resource.id ? replaceScimUser(write(ctx), resource.id, plain(instance)) : createScimUser(write(ctx), plain(instance))))) as never);
    SCIMMY.Resources.User.egress(((resource: { id?: string }, ctx: HandlerContext) => guarded(ctx, () => getScimUser(ctx, resource.id!))) as never);
    SCIMMY.Resources.User.degress((resource, ctx: HandlerContext) => guarded(ctx, () => deleteScimUser(write(ctx), resource.id!)));
    SCIMMY.Resources.Group.ingress(((resource: { id?: string }, instance: unknown, ctx: HandlerContext) =>
      guarded(ctx, () => (resource.id ? replaceScimGroup(write(ctx), resource.id, plain(instance)) : createScimGroup(write(ctx), plain(instance))))) as never);
    SCIMMY.Resources.Group.egress(((resource: { id?: string }, ctx: HandlerContext) => guarded(ctx, () => getScimGroup(ctx, resource.id!))) as never);
    SCIMMY.Resources.Group.degress((resource, ctx: HandlerContext) => guarded(ctx, () => deleteScimGroup(write(ctx), resource.id!)));
    declared = true;
  }
  for (const resource of [SCIMMY.Resources.User, SCIMMY.Resources.Group, SCIMMY.Resources.Schema, SCIMMY.Resources.ResourceType, SCIMMY.Resources.ServiceProviderConfig]) {
    resource.basepath(basepath);
  }
}
