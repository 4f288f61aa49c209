import { Form } from "react-router";
import { Badge } from "#app/components/badge.tsx";
import { CardSection } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { UsersIcon } from "#app/components/icons.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { PersonField } from "#app/components/person-field.tsx";

/** The forms and the list of /forum/responders. */

export type ResponderFailure = { ok: false; intent: string; values: Record<string, string>; fieldErrors: Partial<Record<string, string>>; formError?: string };

type Topic = { topic: string; slaHours: number | null; responders: Array<{ id: number; name: string; title: string; deactivated: boolean }> };

export function ResponderForms({ defaultSlaHours, failure }: { defaultSlaHours: number; failure: ResponderFailure | null }) {
  const of = (intent: string) => (failure?.intent === intent ? failure : null);
  const add = of("add-responder");
  const sla = of("set-sla");
  const def = of("default-sla");
  return (
    <div className="mb-8 grid gap-6 md:grid-cols-3">
      <CardSection title="Name a responder" titleId="add-responder">
        <Form method="post" noValidate className="p-4">
          <FormError message={add?.formError} />
          <Field label="Topic" name="topic" hint="An existing tag, e.g. billing." defaultValue={add?.values.topic} error={add?.fieldErrors.topic} />
          <PersonField label="Colleague" name="person" hint="Their handle, e.g. @ada.lovelace." defaultValue={add?.values.person} error={add?.fieldErrors.person} />
          <SubmitButton name="intent" value="add-responder">
            Add responder
          </SubmitButton>
        </Form>
      </CardSection>
      <CardSection title="A topic's SLA" titleId="topic-sla">
        <Form method="post" noValidate className="p-4">
          <FormError message={sla?.formError} />
          <Field label="Topic" name="topic" defaultValue={sla?.values.topic} error={sla?.fieldErrors.topic} />
          <Field label="Hours to a first answer" name="slaHours" type="number" hint="1 to 720." defaultValue={sla?.values.slaHours} error={sla?.fieldErrors.slaHours} />
          <SubmitButton name="intent" value="set-sla">
            Set SLA
          </SubmitButton>
        </Form>
      </CardSection>
      <CardSection title="Default SLA" titleId="default-sla">
        <Form method="post" noValidate className="p-4">
          <FormError message={def?.formError} />
          <Field
            label="Hours to a first answer"
            name="defaultSlaHours"
            type="number"
            hint="For topics without their own SLA. 1 to 720."
            defaultValue={def?.values.defaultSlaHours ?? String(defaultSlaHours)}
            error={def?.fieldErrors.defaultSlaHours}
          />
          <SubmitButton name="intent" value="default-sla">
            Save default
          </SubmitButton>
        </Form>
      </CardSection>
    </div>
  );
}

export function TopicList({
  topics,
  total,
  offset,
  pageSize,
  canEdit,
  defaultSlaHours,
}: {
  topics: Topic[];
  total: number;
  offset: number;
  pageSize: number;
  canEdit: boolean;
  defaultSlaHours: number;
}) {
  return (
    <CardSection title="Topics" titleId="topics">
      {topics.length === 0 ? (
        <EmptyState icon={<UsersIcon className="size-5" />} title="No responders or SLAs yet">
          Customer questions go to their topics' SMEs, with the default SLA of {defaultSlaHours} h.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Topics">
          {topics.map((t) => (
            <li key={t.topic} className="px-5 py-4">
              <h3 className="flex flex-wrap items-center gap-2 font-semibold text-slate-900">
                {t.topic}
                <Badge tone={t.slaHours === null ? "neutral" : "brand"}>{t.slaHours === null ? `default SLA, ${defaultSlaHours} h` : `SLA ${t.slaHours} h`}</Badge>
                {canEdit && t.slaHours !== null ? (
                  <Form method="post" className="inline">
                    <input type="hidden" name="topic" value={t.topic} />
                    <button type="submit" name="intent" value="clear-sla" className="text-sm font-normal text-brand-700 hover:underline">
                      Use the default
                    </button>
                  </Form>
                ) : null}
              </h3>
              {t.responders.length === 0 ? (
                <p className="mt-1 text-sm text-slate-600">No responders: its SMEs answer.</p>
              ) : (
                <ul aria-label={`Responders for ${t.topic}`} className="mt-2 space-y-1 text-sm text-slate-700">
                  {t.responders.map((p) => (
                    <li key={p.id} className="flex flex-wrap items-center gap-2">
                      <span>
                        {p.name}
                        {p.title ? `, ${p.title}` : ""}
                      </span>
                      {p.deactivated ? <Badge>Deactivated</Badge> : null}
                      {canEdit ? (
                        <Form method="post" className="inline">
                          <input type="hidden" name="topic" value={t.topic} />
                          <input type="hidden" name="userId" value={p.id} />
                          <button
                            type="submit"
                            name="intent"
                            value="remove-responder"
                            className="text-brand-700 hover:underline"
                            aria-label={`Remove ${p.name} as a responder for ${t.topic}`}
                          >
                            Remove
                          </button>
                        </Form>
                      ) : null}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="px-4">
        <Pagination offset={offset} pageSize={pageSize} total={total} shown={topics.length} pageHref={(n) => `?page=${n}`} label="Pages of topics" />
      </div>
    </CardSection>
  );
}
