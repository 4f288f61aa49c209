import { Form } from "react-router";
import { CHAT_EVENT_TYPES } from "#app/features/webhooks/events.ts";
import { CHAT_EVENT_LABELS, LABEL_MAX, PLATFORM_LABELS, UNANSWERED_HOURS_MAX } from "#app/features/chat/schemas.ts";
import type { FieldErrors } from "#app/lib/forms.ts";
import { Badge } from "#app/components/badge.tsx";
import { Field, SelectField, SubmitButton } from "#app/components/form.tsx";
import { AlertIcon, LockIcon } from "#app/components/icons.tsx";

/**
 * The form of a chat connection, shared by "Connect a channel" (space, platform and URL chosen
 * once) and a connection's page (the URL may be replaced, never shown). Not a route: the pages
 * in this folder import it.
 */

export type ConnectionFormValues = { space?: string; platform?: string; label?: string; url?: string; events?: string; unansweredHours?: string };

/** Reminds the admin who reads the channel: every member of it, space member or not. */
export function RestrictedSpaceNote({ spaceName }: { spaceName?: string }) {
  return (
    <p className="mb-4 flex items-start gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      <AlertIcon className="mt-0.5 shrink-0" />
      <span>
        Everyone in the channel reads what this connection posts: {spaceName ? `the ${spaceName} space's` : "the space's"} question and idea titles, names, tags and short excerpts, whether
        or not they are members. For a restricted space, connect a channel whose members may see it.
      </span>
    </p>
  );
}

export function ConnectionForm({
  mode,
  spaces = [],
  values,
  errors,
  maskedUrl,
}: {
  mode: "new" | "edit";
  spaces?: Array<{ id: number; name: string; visibility: "open" | "restricted" }>;
  values: ConnectionFormValues;
  errors: FieldErrors;
  /** The current URL as lists show it (edit only). */
  maskedUrl?: string;
}) {
  const ticked = new Set((values.events ?? "").split(",").filter(Boolean));
  const eventsError = errors.events;
  return (
    <Form method="post" noValidate>
      <input type="hidden" name="intent" value={mode === "new" ? "create" : "save"} />
      {mode === "new" ? (
        <>
          <SelectField
            label="Space"
            name="space"
            emptyLabel="Choose a space"
            options={spaces.map((s) => ({ value: String(s.id), label: s.visibility === "restricted" ? `${s.name} (restricted)` : s.name }))}
            hint="The channel gets this space's events only."
            defaultValue={values.space}
            error={errors.space}
          />
          <SelectField
            label="Platform"
            name="platform"
            emptyLabel="Choose Slack or Teams"
            options={Object.entries(PLATFORM_LABELS).map(([value, label]) => ({ value, label }))}
            defaultValue={values.platform}
            error={errors.platform}
          />
        </>
      ) : null}
      <Field
        label={mode === "new" ? "Incoming webhook URL" : "New incoming webhook URL (optional)"}
        name="url"
        type="url"
        autoComplete="off"
        hint={
          mode === "new"
            ? "From Slack (an app's Incoming Webhooks) or Teams (a channel's Workflows or Incoming Webhook connector). It is a secret: it is never shown again in full."
            : `Now ${maskedUrl ?? "set"}. Leave empty to keep it; paste a new one to replace it.`
        }
        defaultValue={values.url}
        error={errors.url}
      />
      <Field label="Label (optional)" name="label" maxLength={LABEL_MAX} hint="What admins call it, e.g. “#support-questions”." defaultValue={values.label} error={errors.label} />
      <fieldset className="mb-4" aria-describedby={eventsError ? "chat-events-error" : undefined}>
        <legend className="text-sm font-medium text-slate-800">Events to post</legend>
        <ul className="mt-2 space-y-2">
          {CHAT_EVENT_TYPES.map((type) => (
            <li key={type} className="flex items-center gap-2">
              <input
                id={`chat-event-${type}`}
                type="checkbox"
                name="events"
                value={type}
                defaultChecked={ticked.has(type)}
                aria-invalid={eventsError ? true : undefined}
                className="size-4 rounded border-slate-300 text-brand-600 focus:ring-brand-500"
              />
              <label htmlFor={`chat-event-${type}`} className="text-sm text-slate-800">
                {CHAT_EVENT_LABELS[type] ?? type}
              </label>
            </li>
          ))}
        </ul>
        {eventsError ? (
          <p id="chat-events-error" className="mt-1 text-sm text-red-700">
            {eventsError}
          </p>
        ) : null}
      </fieldset>
      <Field
        label="Unanswered after (hours)"
        name="unansweredHours"
        type="number"
        hint={`From 1 to ${UNANSWERED_HOURS_MAX}; empty turns it off. A question is announced once, if it was asked in the last 7 days.`}
        defaultValue={values.unansweredHours}
        error={errors.unansweredHours}
      />
      <div className="flex justify-end border-t border-slate-100 pt-5">
        <SubmitButton pendingText="Saving…">{mode === "new" ? "Connect the channel" : "Save changes"}</SubmitButton>
      </div>
    </Form>
  );
}

/** The connection's state in a word, never by colour alone. */
export function ConnectionStatus({ enabled, disabledAt }: { enabled: boolean; disabledAt: Date | string | null }) {
  if (enabled) return <Badge tone="green">On</Badge>;
  if (disabledAt)
    return (
      <Badge tone="red" icon={<AlertIcon className="size-3.5" />}>
        Turned off after failures
      </Badge>
    );
  return <Badge tone="neutral">Off</Badge>;
}

export function SpaceName({ name, visibility }: { name: string; visibility: "open" | "restricted" }) {
  return (
    <span className="inline-flex items-center gap-1">
      {name}
      {visibility === "restricted" ? (
        <span title="Restricted space">
          <LockIcon className="size-3.5 text-amber-700" />
          <span className="sr-only"> (restricted)</span>
        </span>
      ) : null}
    </span>
  );
}
