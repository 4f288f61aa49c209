import { Form, Link, data, href } from "react-router";
import type { Route } from "./+types/scim";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { provisioningSummary } from "#app/features/scim/rules.server.ts";
import { ScimTokenSchema } from "#app/features/scim/schemas.ts";
import { createScimToken, listScimTokens, revokeScimToken } from "#app/features/scim/tokens.server.ts";
import { env } from "#app/lib/env.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { idParam } from "#app/lib/ids.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { Card, CardSection } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { Field, FormError, Notice, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { TableHead } from "#app/components/table.tsx";
import { IntentButton } from "#app/components/intent-button.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "SCIM provisioning · Admin · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireAdmin(context, request);
  const [tokens, summary] = await Promise.all([listScimTokens(context.db, actor), provisioningSummary(context.db, actor)]);
  const base = (env().APP_URL ?? new URL(request.url).origin).replace(/\/+$/, "");
  return { tokens, summary, endpoint: `${base}/scim/v2`, now: new Date() };
}

/** intent=create-token (the token comes back once, in this answer only) or revoke-token. */
export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireAdmin(context, request);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "revoke-token") {
    const result = await attempt({}, () => revokeScimToken(context.db, actor, idParam(form.get("tokenId"))));
    if (!result.ok) return data({ ...result, intent }, { status: 400 });
    return { ok: true as const, intent, notice: "Token revoked: the identity provider's next request with it is refused." };
  }
  if (intent !== "create-token") throw data("Unknown action", { status: 400 });
  const parsed = parseForm(ScimTokenSchema, form);
  const result = parsed.ok ? await attempt(parsed.values, () => createScimToken(context.db, actor, parsed.data.name)) : parsed;
  if (!result.ok) return data({ ...result, intent }, { status: 400 });
  return { ok: true as const, intent, notice: null, created: { name: result.result.row.name, token: result.result.token } };
}

export default function AdminScim({ loaderData: d, actionData }: Route.ComponentProps) {
  const failed = actionData && !actionData.ok ? actionData : null;
  const created = actionData?.ok && "created" in actionData ? actionData.created : null;
  const createFailed = failed?.intent === "create-token" ? failed : null;
  return (
    <>
      <PageHeader
        title="SCIM provisioning"
        crumbs={[{ label: "Integrations", to: href("/admin/integrations") }]}
        description="Your identity provider (Okta, Microsoft Entra ID, …) creates, updates and deactivates accounts here, and its groups give spaces and roles through your rules."
      />
      <Notice message={actionData?.ok ? actionData.notice : null} />
      {failed?.intent === "revoke-token" ? <FormError message={failed.formError} /> : null}
      {created ? (
        <Card className="mb-6 border-green-300 p-5" role="status">
          <h2 className="text-base font-semibold text-slate-900">Your new token for {created.name}</h2>
          <p className="mt-1 text-sm text-slate-600">Copy it into the identity provider now: Commons keeps only a fingerprint and can&rsquo;t show it again.</p>
          <label htmlFor="new-scim-token" className="mt-3 block text-sm font-medium text-slate-800">
            Token
          </label>
          <input id="new-scim-token" readOnly value={created.token} className="mt-1 block w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm" />
        </Card>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-5">
        <div className="space-y-6 lg:col-span-3">
          <CardSection title="Connection" titleId="scim-connection">
            <dl className="grid gap-3 text-sm sm:grid-cols-2">
              <div>
                <dt className="font-medium text-slate-800">SCIM base URL</dt>
                <dd className="mt-0.5 font-mono break-all text-slate-700">{d.endpoint}</dd>
              </div>
              <div>
                <dt className="font-medium text-slate-800">Authentication</dt>
                <dd className="mt-0.5 text-slate-700">HTTP header, Bearer token</dd>
              </div>
              <div>
                <dt className="font-medium text-slate-800">Provisioned accounts</dt>
                <dd className="mt-0.5 text-slate-700">
                  {d.summary.accounts} ({d.summary.active} active)
                </dd>
              </div>
              <div>
                <dt className="font-medium text-slate-800">Groups and rules</dt>
                <dd className="mt-0.5 text-slate-700">
                  <Link to={href("/admin/integrations/scim/groups")} className="font-medium text-brand-700 hover:underline">
                    {d.summary.groups} {d.summary.groups === 1 ? "group" : "groups"}
                  </Link>
                  ,{" "}
                  <Link to={href("/admin/integrations/scim/rules")} className="font-medium text-brand-700 hover:underline">
                    {d.summary.rules} {d.summary.rules === 1 ? "rule" : "rules"}
                  </Link>
                </dd>
              </div>
            </dl>
          </CardSection>
          {d.tokens.length === 0 ? (
            <EmptyState title="No SCIM tokens yet">Make one with the form and paste it into your identity provider&rsquo;s provisioning settings.</EmptyState>
          ) : (
            <Card className="overflow-hidden">
              <div className="overflow-x-auto">
                <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
                  <caption className="sr-only">SCIM tokens</caption>
                  <TableHead columns={["Token", "Made", "Last used", "Status"]} />
                  <tbody className="divide-y divide-slate-100">
                    {d.tokens.map((token) => (
                      <tr key={token.id}>
                        <td className="px-5 py-3">
                          <p className="font-medium text-slate-900">{token.name}</p>
                          <p className="font-mono text-xs text-slate-500">{token.prefix}…</p>
                        </td>
                        <td className="px-5 py-3 text-slate-700">
                          <RelativeTime date={token.createdAt} now={d.now} />
                          {token.createdBy ? <span className="block text-xs text-slate-500">by {token.createdBy}</span> : null}
                        </td>
                        <td className="px-5 py-3 text-slate-700">{token.lastUsedAt ? <RelativeTime date={token.lastUsedAt} now={d.now} /> : "Never"}</td>
                        <td className="px-5 py-3">
                          {token.revokedAt ? (
                            <span className="text-slate-500">Revoked</span>
                          ) : (
                            <IntentButton intent="revoke-token" fields={{ tokenId: token.id }} variant="dangerOutline" label={`Revoke ${token.name}`}>
                              Revoke
                            </IntentButton>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </Card>
          )}
        </div>
        <div className="lg:col-span-2">
          <CardSection title="New token" titleId="new-scim-token-form">
            <Form method="post">
              <input type="hidden" name="intent" value="create-token" />
              <FormError message={createFailed?.formError} />
              <Field
                label="Name"
                name="name"
                hint="Which identity provider uses it, e.g. “Okta production”."
                defaultValue={createFailed?.values.name ?? ""}
                error={createFailed?.fieldErrors.name}
                maxLength={80}
                required
              />
              <SubmitButton name="intent" value="create-token" pendingText="Making…">
                Make token
              </SubmitButton>
            </Form>
          </CardSection>
        </div>
      </div>
    </>
  );
}
