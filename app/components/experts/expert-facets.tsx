import { Form } from "react-router";
import type { ExpertFacets, FacetValue } from "#app/features/expertise/directory.server.ts";
import { expertsHref, type ExpertsParams } from "#app/features/expertise/directory-params.ts";
import { Field, SubmitButton } from "#app/components/form.tsx";
import { FacetGroup, FacetLink } from "#app/components/facet-list.tsx";
import { TopicField } from "./topic-field.tsx";

const PEOPLE = ["person", "people"] as const;

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
        <FacetLink to={to({ [key]: v.selected ? undefined : v.value })} label={v.value} count={v.count} units={PEOPLE} selected={v.selected} />
      </li>
    ));
  return (
    <nav aria-labelledby="expert-filters-heading" className="space-y-5">
      <h2 id="expert-filters-heading" className="px-2 text-base font-semibold text-slate-900">
        Filter people
      </h2>
      <FacetGroup id="facet-availability" title="Availability" clear={params.open ? to({ open: false }) : null}>
        <li>
          <FacetLink to={to({ open: !params.open })} label="Open to questions" count={facets.open.count} units={PEOPLE} selected={facets.open.selected} />
        </li>
      </FacetGroup>
      {facets.department.length > 0 ? (
        <FacetGroup id="facet-department" title="Department" clear={params.department ? to({ department: undefined }) : null}>
          {values("department", facets.department)}
        </FacetGroup>
      ) : null}
      {facets.location.length > 0 ? (
        <FacetGroup id="facet-location" title="Location" clear={params.location ? to({ location: undefined }) : null}>
          {values("location", facets.location)}
        </FacetGroup>
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
