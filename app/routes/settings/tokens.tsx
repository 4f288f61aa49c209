import { useState } from "react";
import { data, Form, href, Link, redirect } from "react-router";
import type { Route } from "./+types/tokens";
import { Badge } from "#app/components/badge.tsx";
import { ButtonLink } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { Field, FormError, Notice, SelectField, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { TableHead } from "#app/components/table.tsx";
import { useHydrated } from "#app/components/use-hydrated.ts";
import { CreateTokenSchema, MAX_TOKENS_PER_USER, TOKEN_EXPIRY_CHOICES, TOKEN_NAME_MAX } from "#app/features/api-tokens/schemas.ts";
import { apiTokenOf, createTokenForUser, listApiTokens, revokeApiToken } from "#app/features/api-tokens/tokens.server.ts";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { attempt, NotFoundError } from "#app/lib/errors.ts";
import { pageParam, parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { absoluteDate, absoluteTime } from "#app/lib/time.ts";

export function meta(_: Route.MetaArgs) {
  return [{ title: "API tokens · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireEmployee(context, request);
  const url = new URL(request.url);
  const now = new Date();
  const { tokens, total, offset, pageSize } = await listApiTokens(context.db, user.id, pageParam(url));
  // ?revoke=<id> asks to confirm revoking one of the reader's own live tokens (works without JavaScript).
  const asked = url.searchParams.has("revoke") ? await apiTokenOf(context.db, user.id, idParam(url.searchParams.get("revoke"))) : null;
  return {
    tokens: tokens.map((t) => ({
      id: t.id,
      name: t.name,
      prefix: t.prefix,
      scope: t.scope,
      createdAt: t.createdAt,
      expiresAt: t.expiresAt,
      lastUsedAt: t.lastUsedAt,
      revokedAt: t.revokedAt,
      state: t.revokedAt ? ("revoked" as const) : t.expiresAt && t.expiresAt <= now ? ("expired" as const) : ("active" as const),
    })),
    total,
    offset,
    pageSize,
    confirm: asked && !asked.revokedAt ? { id: asked.id, name: asked.name, prefix: asked.prefix } : null,
    notice: url.searchParams.has("revoked") ? "Token revoked: it stops working at once." : null,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = await requireEmployee(context, request);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "create") {
    const parsed = parseForm(CreateTokenSchema, form);
    const result = parsed.ok
      ? await attempt(parsed.values, () => createTokenForUser(context.db, user, { name: parsed.data.name, scope: parsed.data.scope, expiresInDays: parsed.data.expires }))
      : parsed;
    if (!result.ok) return data(result, { status: 400 });
    context.log.info({ userId: user.id, tokenId: result.result.row.id, scope: result.result.row.scope }, "api token created");
    const { token, row } = result.result;
    // The token travels in this answer only: it is never stored, logged or put in a URL.
    return { ok: true as const, created: { token, name: row.name, scope: row.scope, expiresAt: row.expiresAt } };
  }
  if (intent === "revoke") {
    const token = await apiTokenOf(context.db, user.id, idParam(form.get("tokenId")));
    if (!token) throw new NotFoundError();
    // Revoking a revoked token (a second click) changes nothing and says so the same way.
    if (await revokeApiToken(context.db, user.id, token.id)) context.log.info({ userId: user.id, tokenId: token.id }, "api token revoked");
    throw redirect(`${href("/settings/tokens")}?revoked=1`);
  }
  throw data("Unknown action", { status: 400 });
}

export default function TokenSettings({ loaderData, actionData }: Route.ComponentProps) {
  const failed = actionData && !actionData.ok ? actionData : null;
  const created = actionData?.ok ? actionData.created : null;
  const errors = failed?.fieldErrors ?? {};
  const { tokens, confirm } = loaderData;
  return (
    <div className="mx-auto w-full max-w-4xl">
      <PageHeader
        title="API tokens"
        description={
          <>
            Personal access tokens let scripts and assistants use Commons as you, through the{" "}
            <Link to={href("/developers/api")} className="font-medium text-brand-700 hover:underline">
              REST API
            </Link>{" "}
            and the MCP server. A token sees exactly what you see; a read token only reads.
          </>
        }
      />
      <Notice message={loaderData.notice} />
      {created ? <NewToken created={created} /> : null}
      {confirm ? <ConfirmRevoke token={confirm} /> : null}

      <CardSection title="Make a token" titleId="new-token-heading" description={`You can hold up to ${MAX_TOKENS_PER_USER} live tokens.`} className="mb-6">
        <FormError message={failed?.formError} />
        <Form method="post" className="max-w-md">
          <input type="hidden" name="intent" value="create" />
          <Field
            label="Name"
            name="name"
            required
            maxLength={TOKEN_NAME_MAX}
            defaultValue={failed?.values.name}
            error={errors.name}
            hint="What will use it, so you can tell tokens apart: “Team dashboard”, “Slack assistant”."
          />
          <SelectField
            label="Scope"
            name="scope"
            defaultValue={failed?.values.scope ?? "read"}
            error={errors.scope}
            options={[
              { value: "read", label: "Read: read and search what you can see" },
              { value: "write", label: "Write: also ask, answer, comment, vote and give kudos as you" },
            ]}
          />
          <SelectField
            label="Expires"
            name="expires"
            defaultValue={failed?.values.expires ?? "30"}
            error={errors.expires}
            options={TOKEN_EXPIRY_CHOICES.map((v) => ({ value: v, label: v === "never" ? "Never (until revoked)" : `In ${v} days` }))}
          />
          <SubmitButton pendingText="Making…">Make token</SubmitButton>
        </Form>
      </CardSection>

      <section aria-labelledby="tokens-heading">
        <h2 id="tokens-heading" className="mb-3 text-lg font-semibold text-slate-900">
          Your tokens
        </h2>
        {tokens.length === 0 && loaderData.total === 0 ? (
          <EmptyState title="No tokens yet">Make one above when a script or an assistant needs to use Commons as you.</EmptyState>
        ) : (
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Your API tokens, newest first</caption>
              <TableHead columns={["Name", "Token", "Scope", "Created", "Expires", "Last used", "Status", "Actions"]} />
              <tbody className="divide-y divide-slate-100">
                {tokens.map((t) => (
                  <tr key={t.id}>
                    <td className="px-5 py-3 font-medium break-words text-slate-900">{t.name}</td>
                    <td className="px-5 py-3 font-mono text-xs text-slate-600">{t.prefix}…</td>
                    <td className="px-5 py-3">{t.scope === "write" ? "Write" : "Read"}</td>
                    <td className="px-5 py-3 whitespace-nowrap">
                      <time dateTime={new Date(t.createdAt).toISOString()}>{absoluteDate(t.createdAt)}</time>
                    </td>
                    <td className="px-5 py-3 whitespace-nowrap">{t.expiresAt ? <time dateTime={new Date(t.expiresAt).toISOString()}>{absoluteDate(t.expiresAt)}</time> : "Never"}</td>
                    <td className="px-5 py-3 whitespace-nowrap">{t.lastUsedAt ? <time dateTime={new Date(t.lastUsedAt).toISOString()}>{absoluteTime(t.lastUsedAt)}</time> : "Never used"}</td>
                    <td className="px-5 py-3">
                      {t.state === "active" ? <Badge tone="green">Active</Badge> : t.state === "expired" ? <Badge>Expired</Badge> : <Badge tone="red">Revoked</Badge>}
                    </td>
                    <td className="px-5 py-3">
                      {t.state === "revoked" ? null : (
                        <Link to={`${href("/settings/tokens")}?revoke=${t.id}`} className="font-medium text-red-700 hover:underline">
                          Revoke<span className="sr-only"> {t.name}</span>
                        </Link>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination
          offset={loaderData.offset}
          pageSize={loaderData.pageSize}
          total={loaderData.total}
          shown={tokens.length}
          pageHref={(page) => `${href("/settings/tokens")}?page=${page}`}
          label="Token pages"
        />
      </section>
    </div>
  );
}

/** The new token, shown this once: a read-only field to select, and a copy button once JavaScript runs. */
function NewToken({ created }: { created: { token: string; name: string; scope: string; expiresAt: Date | string | null } }) {
  const hydrated = useHydrated();
  const [copied, setCopied] = useState(false);
  return (
    <section aria-labelledby="created-heading" role="status" className="mb-6 rounded-xl border border-amber-300 bg-amber-50 p-5">
      <h2 id="created-heading" className="text-base font-semibold text-amber-950">
        Copy your new token now
      </h2>
      <p className="mt-1 text-sm text-amber-900">This is the only time you will see “{created.name}”: Commons keeps only a fingerprint of it. If you lose it, revoke it and make another.</p>
      <label htmlFor="new-token" className="mt-3 block text-sm font-medium text-amber-950">
        Token ({created.scope === "write" ? "write" : "read"}, {created.expiresAt ? `expires ${absoluteDate(created.expiresAt)}` : "never expires"})
      </label>
      <div className="mt-1 flex gap-2">
        <input
          id="new-token"
          readOnly
          value={created.token}
          onFocus={(e) => e.currentTarget.select()}
          className="block w-full rounded-md border border-amber-300 bg-white px-3 py-2 font-mono text-sm"
        />
        {hydrated ? (
          <button
            type="button"
            onClick={() => void navigator.clipboard.writeText(created.token).then(() => setCopied(true))}
            className="shrink-0 rounded-md border border-amber-400 bg-white px-3 py-2 text-sm font-semibold text-amber-950 hover:bg-amber-100"
          >
            {copied ? "Copied" : "Copy"}
          </button>
        ) : null}
      </div>
    </section>
  );
}

function ConfirmRevoke({ token }: { token: { id: number; name: string; prefix: string } }) {
  return (
    <section aria-labelledby="confirm-heading" className="mb-6 rounded-xl border border-red-200 bg-red-50 p-5">
      <h2 id="confirm-heading" className="text-base font-semibold text-red-900">
        Revoke “{token.name}”?
      </h2>
      <p className="mt-1 text-sm text-red-800">
        Anything using <span className="font-mono">{token.prefix}…</span> stops working at once. This cannot be undone.
      </p>
      <Form method="post" className="mt-3 flex flex-wrap items-center gap-3">
        <input type="hidden" name="intent" value="revoke" />
        <input type="hidden" name="tokenId" value={token.id} />
        <SubmitButton variant="danger" pendingText="Revoking…">
          Revoke token
        </SubmitButton>
        <ButtonLink to={href("/settings/tokens")}>Cancel</ButtonLink>
      </Form>
    </section>
  );
}
