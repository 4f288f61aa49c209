import { Form, Link, data, href, redirect } from "react-router";
import type { Route } from "./+types/user";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { adminUserDetail, changeRole, deactivateUser, reactivateUser } from "#app/features/users/admin-users.server.ts";
import { anonymizedAtOf, anonymizeUser } from "#app/features/users/anonymize.server.ts";
import { ChangeRoleSchema, ROLES, ROLE_LABELS } from "#app/features/users/user-filters.ts";
import { claimImportedProfile, claimSummary, findClaimAccount } from "#app/features/imports/claim.server.ts";
import { ClaimReviewSchema, ClaimSchema } from "#app/features/imports/claim-schema.ts";
import { attempt, NotFoundError } from "#app/lib/errors.ts";
import { formFailure, parseForm, readForm, submittedValues } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { FormError, Notice, SelectField, SubmitButton } from "#app/components/form.tsx";
import { Avatar } from "#app/components/avatar.tsx";
import { Badge, DeactivatedBadge, ModeratorBadge, RoleBadge, VisibilityBadge } from "#app/components/badge.tsx";
import { ButtonLink } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { ClaimProfile } from "#app/components/admin/claim-profile.tsx";
import { CheckCircleIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.user.name} · Admin · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireAdmin(context, request);
  const userId = idParam(params.userId);
  const detail = await adminUserDetail(context.db, actor, userId);
  const claim = detail.imported ? await claimSummary(context.db, actor, detail.user.id) : null;
  // After a claim the admin lands on the account the profile went to.
  const claimed = new URL(request.url).searchParams.get("claimed") === "1";
  return { ...detail, claim, claimed, isSelf: actor.id === userId, anonymizedAt: await anonymizedAtOf(context.db, userId) };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireAdmin(context, request);
  const userId = idParam(params.userId);
  if (Number.isNaN(userId)) throw new NotFoundError();
  const formData = await readForm(request);
  const intent = String(formData.get("intent"));
  const values = submittedValues(formData);
  if (intent === "change-role") {
    const parsed = parseForm(ChangeRoleSchema, formData);
    if (!parsed.ok) return data({ intent, ...parsed }, { status: 400 });
    const result = await attempt(values, () => changeRole(context.db, actor, userId, parsed.data.role));
    if (!result.ok) return data({ intent, ...result }, { status: 400 });
    const { name, role, changed } = result.result;
    // Someone who just gave up their own admin role can no longer see this page.
    if (changed && userId === actor.id && role !== "admin") throw redirect(href("/"));
    return { intent, ok: true as const, notice: changed ? `${name} is now ${role === "admin" || role === "hr" ? "an" : "a"} ${ROLE_LABELS[role]}.` : `${name} already had that role.` };
  }
  if (intent === "deactivate" || intent === "reactivate") {
    // An anonymised account stays off: it has no name, address or way to sign in to come back to.
    if (intent === "reactivate" && (await anonymizedAtOf(context.db, userId))) {
      return data({ intent, ...formFailure(values, {}, "This account is anonymised and can't be reactivated.") }, { status: 400 });
    }
    const run = intent === "deactivate" ? deactivateUser : reactivateUser;
    const result = await attempt(values, () => run(context.db, actor, userId));
    if (!result.ok) return data({ intent, ...result }, { status: 400 });
    const notice = intent === "deactivate" ? `${result.result.name} is deactivated and signed out everywhere.` : `${result.result.name} can sign in again.`;
    return { intent, ok: true as const, notice };
  }
  if (intent === "anonymize") {
    const result = await attempt(values, () => anonymizeUser(context.db, actor, userId));
    if (!result.ok) return data({ intent, ...result }, { status: 400 });
    return { intent, ok: true as const, notice: "The account is anonymised: what they wrote stays, shown as “Former employee”; their profile, sign-ins and tokens are gone." };
  }
  if (intent === "claim-review") {
    const parsed = parseForm(ClaimReviewSchema, formData);
    if (!parsed.ok) return data({ intent, ...parsed }, { status: 400 });
    const result = await attempt(values, () => findClaimAccount(context.db, actor, parsed.data.account));
    if (!result.ok) return data({ intent, ...result }, { status: 400 });
    return { intent, ok: true as const, notice: null, review: { account: result.result, typed: parsed.data.account } };
  }
  if (intent === "claim") {
    const parsed = parseForm(ClaimSchema, formData);
    if (!parsed.ok) return data({ intent, ...parsed }, { status: 400 });
    const result = await attempt(values, () => claimImportedProfile(context.db, actor, { profileUserId: userId, accountUserId: parsed.data.accountUserId }));
    if (!result.ok) return data({ intent, ...result }, { status: 400 });
    throw redirect(`${href("/admin/users/:userId", { userId: String(result.result.account.id) })}?claimed=1`);
  }
  throw data(null, { status: 400 });
}

const date = new Intl.DateTimeFormat("en", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

export default function AdminUser({ loaderData, actionData }: Route.ComponentProps) {
  const { user, manager, memberships, activeSessions, isSelf, imported, claim, claimed, claimedProfiles, anonymizedAt } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const errorFor = (intent: string) => (failed?.intent === intent ? failed : null);
  const firstName = user.name.split(/\s+/)[0];
  return (
    <>
      <PageHeader
        crumbs={[{ label: "People", to: href("/admin/users") }]}
        title={
          <span className="flex flex-wrap items-center gap-3">
            <Avatar name={user.name} size="md" />
            {user.name}
          </span>
        }
        description={[user.title, user.department, user.location].filter(Boolean).join(" · ") || undefined}
        actions={
          user.kind === "employee" ? (
            <ButtonLink to={href("/people/:userId", { userId: String(user.id) })} variant="secondary">
              View profile
            </ButtonLink>
          ) : null
        }
      >
        <div className="mt-3 flex flex-wrap gap-2">
          <RoleBadge role={user.role} />
          {user.kind === "customer" ? <Badge>Customer account</Badge> : null}
          {imported ? <Badge tone="amber">Imported, not claimed</Badge> : null}
          {user.deactivatedAt ? (
            <DeactivatedBadge />
          ) : (
            <Badge tone="green" icon={<CheckCircleIcon className="size-3.5" />}>
              Active
            </Badge>
          )}
        </div>
      </PageHeader>

      <Notice message={actionData?.ok ? actionData.notice : claimed ? `The imported profile now belongs to ${user.name}: its posts, comments and reputation moved here.` : null} />

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          {imported && claim ? (
            <ClaimProfile
              imported={imported}
              summary={claim}
              review={actionData?.ok && "review" in actionData ? (actionData.review ?? null) : null}
              failure={errorFor("claim-review") ?? errorFor("claim")}
              selfUrl={href("/admin/users/:userId", { userId: String(user.id) })}
            />
          ) : null}
          <CardSection title="Role" titleId="role" description="What this person may do across Commons. Space moderators are set per space.">
            <FormError message={errorFor("change-role")?.formError} />
            <Form method="post" className="flex flex-wrap items-end gap-3">
              <div className="min-w-48 [&>div]:mb-0">
                <SelectField
                  label="Role"
                  name="role"
                  defaultValue={errorFor("change-role")?.values.role ?? user.role}
                  error={errorFor("change-role")?.fieldErrors.role}
                  options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
                />
              </div>
              <SubmitButton name="intent" value="change-role" pendingText="Saving…">
                Save role
              </SubmitButton>
            </Form>
          </CardSection>

          <CardSection title="Account" titleId="account">
            <FormError message={errorFor("deactivate")?.formError ?? errorFor("reactivate")?.formError ?? errorFor("anonymize")?.formError} />
            {anonymizedAt ? (
              <p className="text-sm text-slate-700">Anonymised on {date.format(new Date(anonymizedAt))}. What this person wrote stays, shown as “Former employee”.</p>
            ) : user.deactivatedAt ? (
              <>
                <Form method="post" className="space-y-3">
                  <p className="text-sm text-slate-700">
                    Deactivated on {date.format(new Date(user.deactivatedAt))}. {firstName} can't sign in. Reactivating restores the same role and spaces.
                  </p>
                  <SubmitButton name="intent" value="reactivate" pendingText="Reactivating…">
                    Reactivate {firstName}
                  </SubmitButton>
                </Form>
                {user.kind === "employee" ? (
                  <details className="group mt-6">
                    <summary className="inline-flex cursor-pointer list-none items-center rounded-md border border-red-300 bg-white px-3.5 py-2 text-sm font-semibold text-red-700 shadow-sm hover:bg-red-50 [&::-webkit-details-marker]:hidden">
                      Anonymise departed person…
                    </summary>
                    <Form method="post" className="mt-4 rounded-lg border border-red-200 bg-red-50 p-4">
                      <p className="text-sm text-red-900">
                        <strong>{user.name}</strong>’s questions, answers, comments, ideas and pages stay, shown as “Former employee”. Their name, address, title, department, location, bio
                        and manager, their sessions, API tokens, SSO and SCIM links and their mail are removed for good. This can't be undone.
                      </p>
                      <div className="mt-3">
                        <SubmitButton name="intent" value="anonymize" variant="danger" pendingText="Anonymising…">
                          Anonymise {user.name}
                        </SubmitButton>
                      </div>
                    </Form>
                  </details>
                ) : null}
              </>
            ) : isSelf ? (
              <p className="text-sm text-slate-600">This is your own account. Another admin can deactivate it if needed.</p>
            ) : (
              <details className="group">
                <summary className="inline-flex cursor-pointer list-none items-center rounded-md border border-red-300 bg-white px-3.5 py-2 text-sm font-semibold text-red-700 shadow-sm hover:bg-red-50 [&::-webkit-details-marker]:hidden">
                  Deactivate account…
                </summary>
                <Form method="post" className="mt-4 rounded-lg border border-red-200 bg-red-50 p-4">
                  <p className="text-sm text-red-900">
                    <strong>{user.name}</strong> will be signed out everywhere at once and won't be able to sign in. Their profile stays visible, marked as deactivated. You can reactivate
                    the account at any time. To anonymise a person who has left, deactivate the account first.
                  </p>
                  <div className="mt-3">
                    <SubmitButton name="intent" value="deactivate" variant="danger" pendingText="Deactivating…">
                      Deactivate {user.name}
                    </SubmitButton>
                  </div>
                </Form>
              </details>
            )}
          </CardSection>
        </div>

        <div className="space-y-6">
          <CardSection title="Details" titleId="details">
            <dl className="space-y-3 text-sm">
              <Detail label="Email">{user.email}</Detail>
              <Detail label="Manager">
                {manager ? (
                  <Link to={href("/admin/users/:userId", { userId: String(manager.id) })} className="text-brand-700 hover:underline">
                    {manager.name}
                  </Link>
                ) : (
                  "None listed"
                )}
              </Detail>
              <Detail label="Joined">{date.format(new Date(user.createdAt))}</Detail>
              <Detail label="Signed-in sessions">{activeSessions}</Detail>
              {claimedProfiles.length > 0 ? (
                <Detail label="Claimed imported profiles">
                  <ul>
                    {claimedProfiles.map((p) => (
                      <li key={p.sourceUrl}>
                        {p.displayName} on {p.source}
                        {p.claimedAt ? `, claimed ${date.format(new Date(p.claimedAt))}` : null}
                      </li>
                    ))}
                  </ul>
                </Detail>
              ) : null}
            </dl>
          </CardSection>
          <CardSection title="Spaces" titleId="spaces">
            {memberships.length > 0 ? (
              <ul className="divide-y divide-slate-100">
                {memberships.map((m) => (
                  <li key={m.slug} className="flex flex-wrap items-center gap-2 py-2">
                    <Link to={href("/admin/spaces/:slug", { slug: m.slug })} className="text-sm font-medium text-slate-900 hover:text-brand-700 hover:underline">
                      {m.name}
                    </Link>
                    <VisibilityBadge visibility={m.visibility} />
                    {m.role === "moderator" ? <ModeratorBadge /> : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-500">Not a member of any space.</p>
            )}
          </CardSection>
        </div>
      </div>
    </>
  );
}

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="mt-0.5 break-words text-slate-800">{children}</dd>
    </div>
  );
}
