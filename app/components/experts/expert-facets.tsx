import { Form, Link } from "react-router";
import type { ExpertFacets, FacetValue } from "#app/features/expertise/directory.server.ts";
import { expertsHref, type ExpertsParams } from "#app/features/expertise/directory-params.ts";
import { Field, SubmitButton } from "#app/components/form.tsx";
import { CheckIcon } from "#app/components/icons.tsx";
import { TopicField } from "./topic-field.tsx";

const itemClass = (selected: boolean) =>
  `flex items-center justify-between gap-2 rounded-md px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-600 ${
    selected ? "bg-brand-50 font-medium text-brand-900 ring-1 ring-brand-500/40 ring-inset" : "text-slate-700 hover:bg-slate-100"
  }`;

function Count({ n }: { n: number }) {
  return (
    <span className="shrink-0 text-xs tabular-nums text-slate-600">
      {n.toLocaleString("en")}
      <span className="sr-only"> {n === 1 ? "person" : "people"}</span>
    </span>
  );
}

function FacetLink({ to, label, count, selected }: { to: string; label: string; count: number; selected: boolean }) {
  return (
    <Link to={to} aria-current={selected ? "true" : undefined} className={itemClass(selected)} rel="nofollow">
      <span className="flex min-w-0 items-center gap-1.5">
        {selected ? <CheckIcon className="size-3.5 text-brand-700" /> : null}
        <span className="truncate">{label}</span>
        {selected ? <span className="sr-only">(selected; follow to remove)</span> : null}
      </span>
      <Count n={count} />
    </Link>
  );
}

function Group({ id, title, clear, children }: { id: string; title: string; clear: string | null; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id}>
      <div className="mb-1 flex items-baseline justify-between gap-2 px-2">
        <h3 id={id} className="text-xs font-semibold tracking-wide text-slate-600 uppercase">
          {title}
        </h3>
        {clear ? (
          <Link to={clear} className="text-xs font-medium text-brand-700 hover:underline">
            Clear<span className="sr-only"> {title.toLowerCase()} filter</span>
          </Link>
        ) : null}
      </div>
      <ul className="space-y-0.5">{children}</ul>
    </section>
  );
}

/**
 * The filters beside the experts: department, location and "open to questions", each value a
 * link with its count (with the other filters applied) that keeps the rest of the search. Plain
 * links: they work without JavaScript and keep the URL shareable.
 */
export function ExpertFacetList({ params, facets }: { params: ExpertsParams; facets: ExpertFacets }) {
  const to = (change: Partial<ExpertsParams>) => expertsHref({ ...params, ...change, page: 1 });
  const values = (key: "department" | "location", list: FacetValue[]) =>
    list.map((v) => (
      <li key={v.value}>
        <FacetLink to={to({ [key]: v.selected ? undefined : v.value })} label={v.value} count={v.count} selected={v.selected} />
      </li>
    ));
  return (
    <nav aria-labelledby="expert-filters-heading" className="space-y-5">
      <h2 id="expert-filters-heading" className="px-2 text-base font-semibold text-slate-900">
        Filter people
      </h2>
      <Group id="facet-availability" title="Availability" clear={params.open ? to({ open: false }) : null}>
        <li>
          <FacetLink to={to({ open: !params.open })} label="Open to questions" count={facets.open.count} selected={facets.open.selected} />
        </li>
      </Group>
      {facets.department.length > 0 ? (
        <Group id="facet-department" title="Department" clear={params.department ? to({ department: undefined }) : null}>
          {values("department", facets.department)}
        </Group>
      ) : null}
      {facets.location.length > 0 ? (
        <Group id="facet-location" title="Location" clear={params.location ? to({ location: undefined }) : null}>
          {values("location", facets.location)}
        </Group>
      ) : null}
    </nav>
  );
}

/**
 * The search: a topic (tags suggested as they are typed, once JavaScript runs) or words, and for
 * HR a part of a job title. A plain GET form; the facets chosen stay with it.
 */
export function ExpertSearchForm({ params, hr }: { params: ExpertsParams; hr: boolean }) {
  return (
    <Form method="get" role="search" aria-label="Experts" className="mb-6 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <div className={`grid gap-x-4 ${hr ? "md:grid-cols-3" : "md:grid-cols-2"}`}>
        <TopicField name="topic" defaultValue={params.topics.join(" ")} />
        <Field label="Or describe what you need" name="q" defaultValue={params.q} maxLength={200} placeholder="e.g. restoring a database backup" />
        {hr ? <Field label="Job title contains" name="title" defaultValue={params.title} maxLength={100} placeholder="e.g. engineer" /> : null}
      </div>
      {params.department ? <input type="hidden" name="department" value={params.department} /> : null}
      {params.location ? <input type="hidden" name="location" value={params.location} /> : null}
      {params.open ? <input type="hidden" name="open" value="1" /> : null}
      <div className="flex justify-end">
        <SubmitButton pendingText="Searching…">Find experts</SubmitButton>
      </div>
    </Form>
  );
}
