import { Link, href } from "react-router";
import type { HrView, OwnAnalytics, PersonRoles } from "#app/features/analytics/person.server.ts";
import { PROFILE_LABELS, ROLE_LABELS, ROLE_MEANINGS, type RoleName, type Subject, profileSentence, roleSentence } from "#app/features/analytics/explain.ts";
import { absoluteDate } from "#app/lib/time.ts";
import { Badge } from "#app/components/badge.tsx";
import { CardSection } from "#app/components/card.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";

/**
 * A person's roles in the people analytics, each with the figures behind it in plain words: what
 * they read about themselves on their profile and what HR reads on /hr/people/:userId are the
 * same sentences (app/features/analytics/explain.ts).
 */

const ROLES: RoleName[] = ["maven", "connector", "salesman"];

const WHY: Record<RoleName, { self: string; other: string }> = {
  maven: { self: "Why you are a maven", other: "Why a maven" },
  connector: { self: "Why you are a connector", other: "Why a connector" },
  salesman: { self: "Why you are a salesman", other: "Why a salesman" },
};

function has(roles: PersonRoles, role: RoleName): boolean {
  return role === "maven" ? roles.isMaven : role === "connector" ? roles.isConnector : roles.isSalesman;
}

/** The roles held, each explained, then the figures behind the roles not held, then the participation profile. */
export function RoleDetails({ roles, subject }: { roles: PersonRoles; subject: Subject }) {
  const held = ROLES.filter((r) => has(roles, r));
  const notHeld = ROLES.filter((r) => !has(roles, r));
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        From the interactions of the {Math.round((Date.parse(roles.run.windowEnd) - Date.parse(roles.run.windowStart)) / 86_400_000)} days up to {absoluteDate(roles.run.windowEnd)}.
      </p>
      {held.length > 0 ? (
        <ul className="space-y-3">
          {held.map((role) => (
            <li key={role}>
              <h3 className="flex items-center gap-2 text-sm font-semibold text-slate-900">
                <Badge tone="brand">{ROLE_LABELS[role]}</Badge>
                {subject.self ? WHY[role].self : WHY[role].other}
              </h3>
              <p className="mt-1 text-sm text-slate-700">{roleSentence(role, roles.explanation, subject)}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-700">{subject.self ? "You hold none of the roles in this run." : `${subject.name} holds none of the roles in this run.`}</p>
      )}
      <div>
        <h3 className="text-sm font-semibold text-slate-900">
          Participation profile: <span className="font-normal">{PROFILE_LABELS[roles.profile]}</span>
        </h3>
        <p className="mt-1 text-sm text-slate-700">{profileSentence(roles.profile, roles.explanation.profile, subject)}</p>
      </div>
      {notHeld.length > 0 ? (
        <details className="text-sm text-slate-700">
          <summary className="cursor-pointer font-medium text-slate-900">The figures behind the other roles</summary>
          <dl className="mt-2 space-y-2">
            {notHeld.map((role) => (
              <div key={role}>
                <dt className="font-medium text-slate-900">
                  {ROLE_LABELS[role]}: {ROLE_MEANINGS[role]}.
                </dt>
                <dd>{roleSentence(role, roles.explanation, subject)}</dd>
              </div>
            ))}
          </dl>
        </details>
      ) : null}
    </div>
  );
}

const WHAT: Record<string, string> = {
  analytics: "opened your people analytics",
  expertise: "opened your expertise",
  shortlist: "exported a shortlist that included you",
};

export function HrViewLog({ views, total, now }: { views: HrView[]; total: number; now: number }) {
  if (views.length === 0) return <p className="text-sm text-slate-600">No one from HR has looked at your people analytics.</p>;
  return (
    <>
      <ul className="divide-y divide-slate-100">
        {views.map((v) => (
          <li key={v.id} className="flex flex-wrap items-baseline justify-between gap-2 py-2 text-sm">
            <span className="text-slate-800">
              <span className="font-medium">{v.viewer}</span> {v.viewerRole === "admin" ? "(admin)" : "(HR)"} {WHAT[v.what] ?? `looked at your ${v.what}`}
            </span>
            <span className="text-slate-500">
              <RelativeTime date={v.viewedAt} now={now} />
            </span>
          </li>
        ))}
      </ul>
      {total > views.length ? (
        <p className="mt-2 text-sm text-slate-600">
          The {views.length} most recent of {total.toLocaleString("en")}.
        </p>
      ) : null}
    </>
  );
}

/** The two sections of a person's own profile: their roles, and who from HR looked at them. */
export function ProfileRoles({ analytics, now }: { analytics: OwnAnalytics; now: number }) {
  return (
    <>
      <CardSection title="Your roles" titleId="your-roles" description="What the people analytics found in how you work with colleagues. Only you, HR and admins see this.">
        {analytics.optedOut ? (
          <p className="mb-3 text-sm text-slate-700">
            You opted out of the role lists: HR sees “opted out” instead of your roles and you are in none of their lists. You still count in totals by department.{" "}
            <Link to={href("/settings/profile")} className="font-medium text-brand-700 hover:underline">
              Change this in your settings
            </Link>
            .
          </p>
        ) : null}
        {analytics.roles ? (
          <RoleDetails roles={analytics.roles} subject={{ self: true }} />
        ) : (
          <p className="text-sm text-slate-600">You were not in the latest run of the people analytics (it runs once a day over the last 90 days).</p>
        )}
      </CardSection>
      <CardSection title="Who from HR looked" titleId="hr-views" description="Every time someone from HR opens your people analytics, it is recorded here.">
        <HrViewLog views={analytics.views} total={analytics.viewCount} now={now} />
      </CardSection>
    </>
  );
}
