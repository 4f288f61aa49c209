import { and, asc, count, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { uniqueViolation } from "#db/errors.ts";
import { spaceMembers, spaces, wikiTemplates } from "#db/schema/index.ts";
import { type Actor, canSeeSpace, inVisibleSpace, spaceBySlugForActor, visibleSpacesCondition } from "#app/features/spaces/visibility.server.ts";
import { isModerator } from "#app/features/reputation/rules.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import { renderField } from "#app/lib/markdown.server.ts";
import type { NewTemplateInput, TemplateInput } from "./schemas.ts";

/**
 * Page templates: the text a new page starts with. Site-wide templates (no space) are offered in
 * every wiki and managed by admins and site moderators; a space's own templates are offered in its
 * wiki only, and managed by its moderators too. A template of a space is seen by whoever sees the
 * space, like everything in it.
 *
 * The four defaults (how-to, policy, runbook, FAQ) are written when there are no site-wide
 * templates at all: by the demo seed, and the first time templates are read on a new install.
 */

export type TemplateView = {
  id: number;
  name: string;
  description: string;
  body: string;
  space: { id: number; slug: string; name: string } | null;
  updatedAt: Date;
};

export const DEFAULT_TEMPLATES: ReadonlyArray<{ name: string; description: string; body: string }> = [
  {
    name: "How-to",
    description: "Steps to get one thing done, with what you need first.",
    body: `Short summary: what this guide helps you do, and who it is for.

## Before you start

- What you need (access, tools, approvals)

## Steps

1. First step
2. Second step
3. Third step

## Check that it worked

How to tell the steps succeeded.

## Related pages

- [[Another page]]
`,
  },
  {
    name: "Policy",
    description: "A rule the company follows: why, who it applies to, what it asks.",
    body: `## Purpose

Why this policy exists.

## Scope

Who and what it applies to.

## Policy

1. The rule, in plain words.

## Exceptions

How to ask for one, and who decides.

## Owner and review

Who owns this policy and when it is reviewed next.
`,
  },
  {
    name: "Runbook",
    description: "What to do when an alert fires or a system misbehaves.",
    body: `## When to use this runbook

The alert or symptom that brings you here.

## Impact

Who is affected, and how badly.

## Diagnose

1. First thing to check
2. Second thing to check

## Fix

1. Step to restore service

## Escalate

Who to call when the steps above don't help, and how.

## After the incident

What to write down and where.
`,
  },
  {
    name: "FAQ",
    description: "Questions people ask often, each with a short answer.",
    body: `Answers to the questions people ask most about this topic.

## The first question?

Its answer.

## The second question?

Its answer.

## Still stuck?

Ask a question in this space, or contact the page's owners.
`,
  },
];

/** Admins and site moderators manage the site-wide templates. */
function managesSiteWide(actor: Actor): boolean {
  return actor.kind === "employee" && !actor.deactivatedAt && (actor.role === "admin" || actor.role === "moderator");
}

/** The spaces whose templates the actor manages, as a condition on a space id column: visible ones they moderate (every visible one for admins and site moderators). */
function managedSpaceCondition(actor: Actor, spaceIdColumn: typeof wikiTemplates.spaceId): SQL {
  if (managesSiteWide(actor)) return inVisibleSpace(actor, spaceIdColumn);
  if (actor.kind !== "employee" || actor.deactivatedAt) return sql`false`;
  return sql`${spaceIdColumn} in (select ${spaceMembers.spaceId} from ${spaceMembers} where ${spaceMembers.userId} = ${actor.id} and ${spaceMembers.role} = 'moderator')`;
}

/** Writes the four default templates, site-wide, when there are no site-wide templates. Returns how many it wrote. */
export async function ensureDefaultTemplates(db: Db | Tx): Promise<number> {
  return db.transaction(async (tx) => {
    // Two first readers at once: one writes, the other finds them.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('wiki-default-templates'))`);
    const [existing] = await tx.select({ id: wikiTemplates.id }).from(wikiTemplates).where(isNull(wikiTemplates.spaceId)).limit(1);
    if (existing) return 0;
    const rows = await tx
      .insert(wikiTemplates)
      .values(DEFAULT_TEMPLATES.map((t) => ({ ...t, spaceId: null })))
      .onConflictDoNothing()
      .returning({ id: wikiTemplates.id });
    return rows.length;
  });
}

const templateColumns = {
  id: wikiTemplates.id,
  name: wikiTemplates.name,
  description: wikiTemplates.description,
  body: wikiTemplates.body,
  updatedAt: wikiTemplates.updatedAt,
  spaceId: spaces.id,
  spaceSlug: spaces.slug,
  spaceName: spaces.name,
};

type TemplateRow = { id: number; name: string; description: string; body: string; updatedAt: Date; spaceId: number | null; spaceSlug: string | null; spaceName: string | null };

function toView(r: TemplateRow): TemplateView {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    body: r.body,
    updatedAt: r.updatedAt,
    space: r.spaceId !== null && r.spaceSlug !== null && r.spaceName !== null ? { id: r.spaceId, slug: r.spaceSlug, name: r.spaceName } : null,
  };
}

/**
 * The templates offered when writing a page in a space: the site-wide ones, then the space's own
 * (when the actor sees the space). Writes the defaults first on an install that has none.
 */
export async function templatesFor(db: Db, actor: Actor, spaceId: number): Promise<TemplateView[]> {
  const read = () =>
    db
      .select(templateColumns)
      .from(wikiTemplates)
      .leftJoin(spaces, eq(spaces.id, wikiTemplates.spaceId))
      .where(or(isNull(wikiTemplates.spaceId), and(eq(wikiTemplates.spaceId, spaceId), inVisibleSpace(actor, wikiTemplates.spaceId))))
      .orderBy(sql`${wikiTemplates.spaceId} is not null`, asc(sql`lower(${wikiTemplates.name})`), asc(wikiTemplates.id))
      .limit(100);
  let rows = await read();
  if (!rows.some((r) => r.spaceId === null) && (await ensureDefaultTemplates(db)) > 0) rows = await read();
  return rows.map(toView);
}

export const TEMPLATES_PER_PAGE = 50;

/**
 * The templates page: the site-wide templates (everyone may read them) and the templates of the
 * spaces the actor manages, site-wide first, a page at a time; with where the actor may add one.
 */
export async function templateList(db: Db, actor: Actor, page: number) {
  const where = or(isNull(wikiTemplates.spaceId), managedSpaceCondition(actor, wikiTemplates.spaceId));
  const offset = (page - 1) * TEMPLATES_PER_PAGE;
  const [hasSiteWide] = await db.select({ id: wikiTemplates.id }).from(wikiTemplates).where(isNull(wikiTemplates.spaceId)).limit(1);
  if (!hasSiteWide) await ensureDefaultTemplates(db);
  const [rows, [total], scopes] = await Promise.all([
    db
      .select(templateColumns)
      .from(wikiTemplates)
      .leftJoin(spaces, eq(spaces.id, wikiTemplates.spaceId))
      .where(where)
      .orderBy(sql`${wikiTemplates.spaceId} is not null`, asc(sql`lower(${spaces.name})`), asc(sql`lower(${wikiTemplates.name})`), asc(wikiTemplates.id))
      .limit(TEMPLATES_PER_PAGE)
      .offset(offset),
    db.select({ n: count() }).from(wikiTemplates).where(where),
    templateScopes(db, actor),
  ]);
  return {
    templates: rows.map((r) => ({ ...toView(r), canManage: r.spaceId === null ? scopes.siteWide : true })),
    total: total?.n ?? 0,
    offset,
    scopes,
  };
}

/** Where the actor may add templates: site-wide (admins, site moderators) and the spaces they manage. */
export async function templateScopes(db: Db | Tx, actor: Actor): Promise<{ siteWide: boolean; spaces: Array<{ slug: string; name: string }> }> {
  const rows = await db
    .select({ slug: spaces.slug, name: spaces.name })
    .from(spaces)
    .where(and(visibleSpacesCondition(actor), spaceManaged(actor)))
    .orderBy(asc(sql`lower(${spaces.name})`), asc(spaces.id))
    .limit(500);
  return { siteWide: managesSiteWide(actor), spaces: rows };
}

/** `spaces` rows whose templates the actor manages. */
function spaceManaged(actor: Actor): SQL {
  if (managesSiteWide(actor)) return sql`true`;
  if (actor.kind !== "employee" || actor.deactivatedAt) return sql`false`;
  return sql`exists (select 1 from ${spaceMembers} where ${spaceMembers.spaceId} = ${spaces.id} and ${spaceMembers.userId} = ${actor.id} and ${spaceMembers.role} = 'moderator')`;
}

export type ManagedTemplate = TemplateView & { canManage: boolean };

/**
 * One template for its editor: a 404 for a missing one or one of a space the actor doesn't see, a
 * 403 (with who may) for one they see but don't manage.
 */
export async function loadTemplate(db: Db | Tx, actor: Actor, templateId: number, options: { forUpdate?: boolean } = {}): Promise<TemplateView> {
  if (!isRowId(templateId) || actor.kind !== "employee" || actor.deactivatedAt) throw new NotFoundError();
  const query = db
    .select({ ...templateColumns, visibility: spaces.visibility, role: spaceMembers.role })
    .from(wikiTemplates)
    .leftJoin(spaces, eq(spaces.id, wikiTemplates.spaceId))
    .leftJoin(spaceMembers, and(eq(spaceMembers.spaceId, wikiTemplates.spaceId), eq(spaceMembers.userId, actor.id)))
    .where(eq(wikiTemplates.id, templateId))
    .limit(1);
  const [row] = options.forUpdate ? await query.for("update", { of: wikiTemplates }) : await query;
  if (!row) throw new NotFoundError();
  if (row.spaceId === null) {
    if (!managesSiteWide(actor)) throw new ForbiddenError("Site-wide templates are managed by admins and site moderators.");
    return toView(row);
  }
  const membership = row.role ? { role: row.role } : null;
  if (!canSeeSpace(actor, { visibility: row.visibility! }, membership)) throw new NotFoundError();
  if (!isModerator(actor, membership)) throw new ForbiddenError("A space's templates are managed by its moderators and by admins.");
  return toView(row);
}

function nameTaken(error: unknown): never {
  if (uniqueViolation(error) === "wiki_templates_space_name_key") throw InputError.field("name", "There is a template with this name there already: choose another name.");
  throw error;
}

/** A template's text must be one the markdown module renders, since pages start from it. */
function checkBody(body: string): void {
  renderField(body, "body");
}

/** Adds a template: site-wide (`space` ""), or for a space the actor moderates. */
export async function createTemplate(db: Db, actor: Actor, input: NewTemplateInput): Promise<{ id: number }> {
  checkBody(input.body);
  return db.transaction(async (tx) => {
    let spaceId: number | null = null;
    if (input.space === "") {
      if (!managesSiteWide(actor)) throw new ForbiddenError("Site-wide templates are added by admins and site moderators; moderators add templates for their spaces.");
    } else {
      const { space, membership } = await spaceBySlugForActor(tx, actor, input.space);
      if (!isModerator(actor, membership)) throw new ForbiddenError("A space's templates are added by its moderators and by admins.");
      spaceId = space.id;
    }
    try {
      const [row] = await tx
        .insert(wikiTemplates)
        .values({ spaceId, name: input.name, description: input.description, body: input.body, createdById: actor.id })
        .returning({ id: wikiTemplates.id });
      return { id: row!.id };
    } catch (error) {
      nameTaken(error);
    }
  });
}

/** Changes a template's name, description and text (its place stays). */
export async function updateTemplate(db: Db, actor: Actor, templateId: number, input: TemplateInput): Promise<void> {
  checkBody(input.body);
  await db.transaction(async (tx) => {
    await loadTemplate(tx, actor, templateId, { forUpdate: true });
    try {
      await tx
        .update(wikiTemplates)
        .set({ name: input.name, description: input.description, body: input.body, updatedAt: sql`now()` })
        .where(eq(wikiTemplates.id, templateId));
    } catch (error) {
      nameTaken(error);
    }
  });
}

/** Deletes a template; pages written from it keep their text. */
export async function deleteTemplate(db: Db, actor: Actor, templateId: number): Promise<void> {
  await db.transaction(async (tx) => {
    await loadTemplate(tx, actor, templateId, { forUpdate: true });
    await tx.delete(wikiTemplates).where(eq(wikiTemplates.id, templateId));
  });
}
