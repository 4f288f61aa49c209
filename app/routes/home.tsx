import { Form, Link, href } from "react-router";
import type { Route } from "./+types/home";
import { requireUser } from "#app/features/auth/session.server.ts";
import { homeSpaces } from "#app/features/spaces/spaces.server.ts";
import { teamOf } from "#app/features/users/profiles.server.ts";
import { Avatar } from "#app/components/avatar.tsx";
import { ButtonLink, buttonClass } from "#app/components/button.tsx";
import { Card, CardSection } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { BuildingIcon, LockIcon, MapPinIcon, SpacesIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { PersonRow } from "#app/components/person.tsx";
import { Badge } from "#app/components/badge.tsx";
import { SpaceCard } from "#app/components/space-card.tsx";
import { questionList } from "#app/features/qa/lists.server.ts";
import { QuestionRow } from "#app/components/qa/question-row.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Home · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireUser(context, request);
  // Customer accounts have no employee access; they land here and are told so (see the component).
  if (user.kind !== "employee") return { customer: true as const };
  const [spaces, team] = await Promise.all([homeSpaces(context.db, user), teamOf(context.db, user)]);
  // Questions in the spaces one belongs to; someone in no space yet sees the open ones instead.
  const mine = spaces.mine.map((s) => s.id);
  const recent = await questionList(context.db, user, { sort: "newest", spaceIds: mine.length > 0 ? mine : undefined, limit: 5 });
  return {
    customer: false as const,
    recent: { rows: recent.rows, inMySpaces: mine.length > 0 },
    now: Date.now(),
    me: { id: user.id, name: user.name, title: user.title, department: user.department, location: user.location, hasBio: user.bio.trim().length > 0 },
    spaces,
    team,
  };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  if (loaderData.customer) return <CustomerHome />;
  const { me, spaces, team, recent, now } = loaderData;
  const firstName = me.name.split(/\s+/)[0] ?? me.name;
  const teamPeople = [
    ...(team.manager ? [{ person: team.manager, label: "Manager" }] : []),
    ...team.reports.map((person) => ({ person, label: "Reports to you" })),
    ...team.peers.map((person) => ({ person, label: null })),
  ];
  return (
    <>
      <PageHeader title={`Welcome back, ${firstName}`} description="Your spaces and the people you work with, in one place." />
      <div className="grid gap-8 lg:grid-cols-3">
        <div className="space-y-10 lg:col-span-2">
          {recent.rows.length > 0 ? (
            <section aria-labelledby="recent-questions">
              <div className="mb-4 flex items-baseline justify-between gap-4">
                <div>
                  <h2 id="recent-questions" className="text-lg font-semibold text-slate-900">
                    Recent questions
                  </h2>
                  <p className="text-sm text-slate-600">{recent.inMySpaces ? "Asked in the spaces you belong to." : "Asked in the spaces you can see."}</p>
                </div>
                <Link to={href("/questions")} className="text-sm font-medium text-brand-700 hover:underline">
                  All questions
                </Link>
              </div>
              <Card>
                <ul className="divide-y divide-slate-100">
                  {recent.rows.map((q) => (
                    <li key={q.id}>
                      <QuestionRow question={q} now={now} headingLevel={3} />
                    </li>
                  ))}
                </ul>
              </Card>
            </section>
          ) : null}
          <section aria-labelledby="your-spaces">
            <div className="mb-4 flex items-baseline justify-between gap-4">
              <h2 id="your-spaces" className="text-lg font-semibold text-slate-900">
                Your spaces
              </h2>
              <Link to={href("/spaces")} className="text-sm font-medium text-brand-700 hover:underline">
                All spaces
              </Link>
            </div>
            {spaces.mine.length > 0 ? (
              <ul className="grid gap-4 sm:grid-cols-2">
                {spaces.mine.map((s) => (
                  <SpaceCard key={s.slug} space={s} />
                ))}
              </ul>
            ) : (
              <EmptyState icon={<SpacesIcon className="size-5" />} title="You're not a member of any space yet">
                Open spaces below are readable by everyone. Restricted spaces are invite-only: a space moderator or an admin can add you.
              </EmptyState>
            )}
          </section>
          {spaces.otherOpen.length > 0 ? (
            <section aria-labelledby="open-spaces">
              <h2 id="open-spaces" className="mb-1 text-lg font-semibold text-slate-900">
                Other open spaces
              </h2>
              <p className="mb-4 text-sm text-slate-600">Open to every employee. Join one to keep it among your spaces.</p>
              <ul className="grid gap-4 sm:grid-cols-2">
                {spaces.otherOpen.map((s) => (
                  <SpaceCard key={s.slug} space={s} />
                ))}
              </ul>
            </section>
          ) : null}
        </div>
        <aside className="space-y-6" aria-label="You and your team">
          <Card className="p-5">
            <div className="flex items-center gap-4">
              <Avatar name={me.name} size="lg" />
              <div className="min-w-0">
                <h2 className="truncate text-base font-semibold text-slate-900">{me.name}</h2>
                {me.title ? <p className="truncate text-sm text-slate-600">{me.title}</p> : null}
              </div>
            </div>
            <dl className="mt-4 space-y-1.5 text-sm text-slate-600">
              {me.department ? (
                <div className="flex items-center gap-2">
                  <dt>
                    <BuildingIcon className="size-4 text-slate-400" />
                    <span className="sr-only">Department</span>
                  </dt>
                  <dd>{me.department}</dd>
                </div>
              ) : null}
              {me.location ? (
                <div className="flex items-center gap-2">
                  <dt>
                    <MapPinIcon className="size-4 text-slate-400" />
                    <span className="sr-only">Location</span>
                  </dt>
                  <dd>{me.location}</dd>
                </div>
              ) : null}
            </dl>
            {!me.hasBio ? <p className="mt-4 rounded-lg bg-brand-50 px-3 py-2.5 text-sm text-brand-900">Add a short bio so colleagues know what to ask you about.</p> : null}
            <div className="mt-4 flex flex-wrap gap-2">
              <ButtonLink to={href("/settings/profile")} size="sm" variant={me.hasBio ? "secondary" : "primary"}>
                Edit profile
              </ButtonLink>
              <ButtonLink to={href("/people/:userId", { userId: String(me.id) })} size="sm" variant="ghost">
                View profile
              </ButtonLink>
            </div>
          </Card>
          {teamPeople.length > 0 ? (
            <CardSection title="Your team" titleId="your-team" description="Your manager, the people alongside you, and your reports.">
              <ul className="divide-y divide-slate-100">
                {teamPeople.slice(0, 12).map(({ person, label }) => (
                  <li key={person.id}>
                    <PersonRow person={person} extra={label ? <Badge tone={label === "Manager" ? "brand" : "neutral"}>{label}</Badge> : null} />
                  </li>
                ))}
              </ul>
            </CardSection>
          ) : null}
        </aside>
      </div>
    </>
  );
}

function CustomerHome() {
  return (
    <div className="mx-auto max-w-lg py-12">
      <Card className="p-8 text-center">
        <div className="mx-auto mb-4 flex size-12 items-center justify-center rounded-full bg-slate-100 text-slate-600">
          <LockIcon className="size-6" />
        </div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">This account has no employee access</h1>
        <p className="mt-3 text-slate-600">
          You're signed in with a customer account. Commons is for employees only, so there is nothing here for this account. If you work here, sign out and sign in with your work account.
        </p>
        <Form method="post" action={href("/sign-out")} reloadDocument className="mt-6">
          <button type="submit" className={buttonClass("primary")}>
            Sign out
          </button>
        </Form>
      </Card>
    </div>
  );
}
