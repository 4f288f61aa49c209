import { CardSection } from "#app/components/card.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import type { AuditRow } from "#app/features/audit/log.server.ts";

/**
 * "About your account" on a person's own profile: the newest audit entries about them of the kinds
 * AUDIT_VISIBLE_TO_SUBJECT lists (docs/audit-log.md). Details are plain text.
 */
export function AuditAboutMe({ entries, now }: { entries: AuditRow[]; now: number }) {
  return (
    <CardSection
      title="About your account"
      titleId="audit-about-me"
      description="Changes to your role, spaces and tokens, HR's views of you and any look-up of who asked your anonymous questions, from the audit log. Only you and admins see this."
    >
      {entries.length === 0 ? (
        <p className="text-sm text-slate-600">Nothing recorded about you yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">
          {entries.map((e) => (
            <li key={e.id} className="py-2">
              <span className="font-medium text-slate-900">{e.label}</span>
              <span className="text-slate-600">
                {" "}
                by {e.actor.name}, <RelativeTime date={e.at} now={now} />
              </span>
              {e.details ? <p className="mt-0.5 text-slate-600">{e.details}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </CardSection>
  );
}
