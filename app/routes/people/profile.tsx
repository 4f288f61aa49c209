import { Link, href } from "react-router";
import type { Route } from "./+types/profile";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { profileForViewer } from "#app/features/users/profiles.server.ts";
import { reputationChart } from "#app/features/reputation/chart.ts";
import { reputationProfile } from "#app/features/reputation/profile.server.ts";
import { importStatus } from "#app/features/imports/imported-profiles.server.ts";
import { Avatar } from "#app/components/avatar.tsx";
import { Badge, DeactivatedBadge, ModeratorBadge, RoleBadge, VisibilityBadge } from "#app/components/badge.tsx";
import { ButtonLink } from "#app/components/button.tsx";
import { Card, CardSection } from "#app/components/card.tsx";
import { BriefcaseIcon, BuildingIcon, CalendarIcon, MapPinIcon, PencilIcon } from "#app/components/icons.tsx";
import { PersonList, PersonRow } from "#app/components/person.tsx";
import { ReputationChart } from "#app/components/reputation/reputation-chart.tsx";
import { EventList, IdeaList, PostList, PrivilegeList, TopTags } from "#app/components/reputation/profile-sections.tsx";
import { ideasOwnedBy } from "#app/features/ideas/ideas.server.ts";
import { articlesBy } from "#app/features/articles/feeds.server.ts";
import { followsPerson } from "#app/features/social/follows.server.ts";
import { FollowButton } from "#app/components/follow-button.tsx";
import { ProfileArticles } from "#app/components/articles/profile-articles.tsx";
import { idParam } from "#app/lib/ids.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { profileKudos } from "#app/features/recognition/feeds.server.ts";
import { ProfileKudosSection } from "#app/components/recognition/kudos-profile.tsx";
import { profileBadges } from "#app/features/recognition/badges.server.ts";
import { ProfileBadges } from "#app/components/recognition/badge-profile.tsx";
import { ownAnalytics } from "#app/features/analytics/person.server.ts";
import { ProfileRoles } from "#app/components/analytics/person-roles.tsx";
// @profile-audit
import { auditAboutMe } from "#app/features/audit/log.server.ts";
import { AuditAboutMe } from "#app/components/audit/about-me.tsx";
import { profileExpertise } from "#app/features/expertise/topics.server.ts";
import { ProfileExpertiseSection } from "#app/components/expertise/profile-expertise.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.user.name} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const viewer = await requireEmployee(context, request);
  const profile = await profileForViewer(context.db, viewer, idParam(params.userId));
  // Kudos points totals only for the person and their manager; the kudos counted are those the viewer may see.
  const withPoints = viewer.id === profile.user.id || profile.manager?.id === viewer.id;
  const [{ chart, ...reputation }, imports, ideas, articles, following, kudos, badges, expertise, analytics, auditEntries] = await Promise.all([
    reputationProfile(context.db, viewer, profile.user.id),
    importStatus(context.db, profile.user.id),
    ideasOwnedBy(context.db, viewer, profile.user.id),
    articlesBy(context.db, viewer, profile.user.id),
    followsPerson(context.db, viewer.id, profile.user.id),
    // @profile-kudos-loader
    profileKudos(context.db, viewer, profile.user.id, { withPoints }),
    // @profile-badges-loader
    profileBadges(context.db, viewer, profile.user.id),
    // @profile-expertise-loader
    profileExpertise(context.db, viewer, profile.user.id),
    // @profile-roles-loader
    // The person's own roles and HR's views of them: null (and no query) on anyone else's profile.
    ownAnalytics(context.db, viewer, profile.user.id),
    // @profile-audit-loader
    // The audit entries about the person that they may see: null (and no query) on anyone else's profile.
    auditAboutMe(context.db, viewer, profile.user.id),
  ]);
  if (imports.claimedPlaceholder) throw new NotFoundError();
  return {
    ...profile,
    kudos,
    badges,
    expertise,
    analytics,
    auditEntries,
    imported: imports.unclaimed,
    reputation,
    ideas,
    articles,
    following,
    chart: reputationChart(chart),
    isSelf: viewer.id === profile.user.id,
    now: Date.now(),
  };
}

const since = new Intl.DateTimeFormat("en", { month: "long", year: "numeric", timeZone: "UTC" });

export default function Profile({ loaderData }: Route.ComponentProps) {
  const { user, manager, reports, spaces, isSelf, reputation, chart, now, imported, ideas, articles, following } = loaderData;
  const firstName = user.name.split(/\s+/)[0] ?? user.name;
  const facts = [
    { icon: <BriefcaseIcon />, label: "Title", value: user.title },
    { icon: <BuildingIcon />, label: "Department", value: user.department },
    { icon: <MapPinIcon />, label: "Location", value: user.location },
    { icon: <CalendarIcon />, label: "Member since", value: `Member since ${since.format(new Date(user.createdAt))}` },
  ].filter((f) => f.value);
  return (
    <div className="space-y-6">
      <Card className="overflow-hidden">
        <div className="h-20 bg-gradient-to-r from-brand-600 to-brand-500 sm:h-24" aria-hidden="true" />
        <div className="px-6 pb-6">
          <div className="-mt-10 flex flex-wrap items-end justify-between gap-4 sm:-mt-12">
            <Avatar name={user.name} size="xl" className="ring-4" />
            {isSelf ? (
              <ButtonLink to={href("/settings/profile")} variant="secondary">
                <PencilIcon />
                Edit profile
              </ButtonLink>
            ) : (
              <FollowButton action={href("/people/:userId/follow", { userId: String(user.id) })} following={following} description={`Articles ${user.name} publishes reach your inbox`} />
            )}
          </div>
          <div className="mt-4 flex flex-wrap items-center gap-2">
            <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{user.name}</h1>
            <RoleBadge role={user.role} hideMember />
            {user.deactivatedAt ? <DeactivatedBadge /> : null}
            {imported ? <Badge tone="amber">Imported</Badge> : null}
          </div>
          {imported ? <p className="mt-1 text-sm text-slate-600">Imported from {imported.source}, not yet claimed.</p> : null}
          <p className="mt-2 text-sm text-slate-700">
            <span className="text-lg font-semibold text-slate-900 tabular-nums">{reputation.reputation.toLocaleString("en")}</span> reputation
          </p>
          <dl className="mt-3 flex flex-wrap gap-x-6 gap-y-2 text-sm text-slate-600">
            {facts.map((f) => (
              <div key={f.label} className="flex items-center gap-1.5">
                <dt className="text-slate-400">
                  {f.icon}
                  <span className="sr-only">{f.label}</span>
                </dt>
                <dd>{f.value}</dd>
              </div>
            ))}
          </dl>
          {/* @profile-badges */}
          <ProfileBadges badges={loaderData.badges} userId={user.id} firstName={firstName} isSelf={isSelf} />
        </div>
      </Card>

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <CardSection title="About" titleId="about">
            {user.bio ? (
              <p className="text-base whitespace-pre-line text-slate-700">{user.bio}</p>
            ) : isSelf ? (
              <p className="text-slate-600">
                You haven't written a bio yet.{" "}
                <Link to={href("/settings/profile")} className="font-medium text-brand-700 hover:underline">
                  Add one
                </Link>{" "}
                so colleagues know what to ask you about.
              </p>
            ) : (
              <p className="text-slate-500">{user.name.split(/\s+/)[0]} hasn't written a bio yet.</p>
            )}
          </CardSection>
          {/* @profile-expertise */}
          <ProfileExpertiseSection expertise={loaderData.expertise} userId={user.id} firstName={firstName} />
          {/* @profile-kudos */}
          <ProfileKudosSection kudos={loaderData.kudos} userId={user.id} firstName={firstName} isSelf={isSelf} canGive={!isSelf && !user.deactivatedAt} now={now} />
          <CardSection title="Reputation over time" titleId="reputation-chart">
            <ReputationChart chart={chart} name={firstName} />
          </CardSection>
          <CardSection title={`Questions (${reputation.questionCount.toLocaleString("en")})`} titleId="questions">
            <PostList kind="questions" profile={reputation} now={now} />
          </CardSection>
          <CardSection title={`Answers (${reputation.answerCount.toLocaleString("en")})`} titleId="answers">
            <PostList kind="answers" profile={reputation} now={now} />
          </CardSection>
          <CardSection title={`Articles (${articles.total.toLocaleString("en")})`} titleId="articles">
            <ProfileArticles articles={articles} userId={user.id} firstName={firstName} now={now} />
          </CardSection>
          <CardSection title={`Ideas (${ideas.total.toLocaleString("en")})`} titleId="ideas">
            <IdeaList owned={ideas} firstName={firstName} />
          </CardSection>
          <CardSection title="Recent reputation" titleId="reputation-events">
            <EventList events={reputation.events} now={now} />
          </CardSection>
          <CardSection title="Spaces" titleId="spaces">
            {spaces.length > 0 ? (
              <ul className="divide-y divide-slate-100">
                {spaces.map((s) => (
                  <li key={s.slug} className="flex flex-wrap items-center gap-2 py-2">
                    <Link to={href("/spaces/:slug", { slug: s.slug })} className="text-sm font-medium text-slate-900 hover:text-brand-700 hover:underline">
                      {s.name}
                    </Link>
                    <VisibilityBadge visibility={s.visibility} />
                    {s.role === "moderator" ? <ModeratorBadge /> : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-500">Not a member of any space you can see.</p>
            )}
          </CardSection>
          {/* @profile-roles */}
          {loaderData.analytics ? <ProfileRoles analytics={loaderData.analytics} now={now} /> : null}
          {/* @profile-audit */}
          {loaderData.auditEntries ? <AuditAboutMe entries={loaderData.auditEntries} now={now} /> : null}
        </div>
        <div className="space-y-6">
          <CardSection title="Privileges" titleId="privileges">
            <PrivilegeList progress={reputation.progress} isSelf={isSelf} />
          </CardSection>
          <CardSection title="Top tags" titleId="top-tags">
            <TopTags tags={reputation.topTags} />
          </CardSection>
          <CardSection title="Reports to" titleId="reports-to">
            {manager ? <PersonRow person={manager} /> : <p className="text-sm text-slate-500">No manager listed.</p>}
          </CardSection>
          <CardSection title="Direct reports" titleId="direct-reports">
            {reports.length > 0 ? <PersonList people={reports} /> : <p className="text-sm text-slate-500">No direct reports.</p>}
          </CardSection>
        </div>
      </div>
    </div>
  );
}
