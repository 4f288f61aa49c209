import { Link, href } from "react-router";
import type { Route } from "./+types/index";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { badgeCatalogue, type BadgeKindFilter } from "#app/features/recognition/badges.server.ts";
import { idParam } from "#app/lib/ids.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { PlusIcon, StarIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { BadgeList } from "#app/components/recognition/badge-list.tsx";
import { RecognitionTabs } from "#app/components/recognition/recognition-tabs.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData?.holder ? `Badges of ${loaderData.holder.name} · Commons` : "Badges · Commons" }];
}

const KINDS: ReadonlyArray<{ value: BadgeKindFilter; label: string }> = [
  { value: "all", label: "All" },
  { value: "automatic", label: "Automatic" },
  { value: "custom", label: "Custom" },
];

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const url = new URL(request.url);
  const kind = KINDS.find((k) => k.value === url.searchParams.get("kind"))?.value ?? "all";
  // A holder that is not an id (or no one's) is a 404, like a missing profile.
  const holder = url.searchParams.get("holder");
  const catalogue = await badgeCatalogue(context.db, actor, { kind, holderId: holder === null ? null : idParam(holder) });
  return { ...catalogue, kind };
}

function filterClass(active: boolean) {
  return `rounded-md px-3 py-1.5 text-sm font-medium ${active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100"}`;
}

export default function Badges({ loaderData }: Route.ComponentProps) {
  const { badges, holder, canManage, kind } = loaderData;
  const link = (value: BadgeKindFilter) => {
    const params = new URLSearchParams();
    if (value !== "all") params.set("kind", value);
    if (holder) params.set("holder", String(holder.id));
    const query = params.toString();
    return `${href("/badges")}${query ? `?${query}` : ""}`;
  };
  const firstName = holder ? (holder.name.split(/\s+/)[0] ?? holder.name) : null;
  return (
    <>
      <PageHeader
        title={holder ? `Badges of ${holder.name}` : "Badges"}
        crumbs={holder ? [{ label: "Badges", to: href("/badges") }] : undefined}
        description={
          holder ? (
            <>
              Every badge{" "}
              <Link to={href("/people/:userId", { userId: String(holder.id) })} className="font-medium text-brand-700 underline">
                {holder.name}
              </Link>{" "}
              holds.
            </>
          ) : (
            "Automatic badges come from what people do here: answers, pages, ideas, kudos. Custom ones are awarded by HR and admins, with a reason."
          )
        }
        actions={
          canManage && !holder ? (
            <ButtonLink to={href("/badges/new")} variant="primary">
              <PlusIcon className="size-4" />
              New badge
            </ButtonLink>
          ) : null
        }
      />
      <RecognitionTabs />
      <nav aria-label="Filter badges" className="mb-6 flex gap-1">
        {KINDS.map((k) => (
          <Link key={k.value} to={link(k.value)} className={filterClass(kind === k.value)} aria-current={kind === k.value ? "page" : undefined}>
            {k.label}
          </Link>
        ))}
      </nav>
      {badges.length === 0 ? (
        <EmptyState icon={<StarIcon className="size-5" />} title={holder ? `${firstName} holds no badges yet` : "No badges here yet"}>
          {holder
            ? "Badges come with a first question, answer, page, idea or kudos, and from HR for what deserves a special mention."
            : kind === "custom"
              ? "HR and admins create custom badges to recognise what the automatic ones don't."
              : "The automatic badges appear within a few minutes of the first start."}
        </EmptyState>
      ) : (
        <BadgeList badges={badges} holderName={firstName} />
      )}
    </>
  );
}
