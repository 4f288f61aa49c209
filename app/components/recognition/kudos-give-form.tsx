import { useState } from "react";
import { Form, Link } from "react-router";
import { KUDOS_DEFAULT_POINTS, KUDOS_MAX_POINTS_EACH, KUDOS_MESSAGE_MAX, splitReceivers } from "#app/features/recognition/kudos-schemas.ts";
import { KIND_NOUNS, type ItemKind } from "#app/features/social/kinds.ts";
import type { FormFailure } from "#app/lib/forms.ts";
import { absoluteDate } from "#app/lib/time.ts";
import { FieldShell, FormError, SubmitButton, textControlClass } from "#app/components/form.tsx";
import { MarkdownPreview } from "#app/components/markdown-preview.tsx";
import { MentionTextarea } from "#app/components/mention-textarea.tsx";
import { KudosPeoplePicker } from "./kudos-people-picker.tsx";
import { KudosValuePicker, type PickableValue } from "./kudos-value-picker.tsx";

/** "20 points for 2 people; 80 left after this." */
function costLine(points: number, people: number, left: number): string {
  if (!Number.isInteger(points) || points < 0) return `You have ${left.toLocaleString("en")} points left to give this month.`;
  const cost = points * Math.max(people, 1);
  const who = people > 1 ? ` for ${people} people` : "";
  if (cost > left) return `That is ${cost.toLocaleString("en")} points${who}: more than the ${left.toLocaleString("en")} you have left.`;
  return `${cost.toLocaleString("en")} points${who}; ${(left - cost).toLocaleString("en")} left after this.`;
}

/**
 * The give form: who, which value, how many points each, the message (markdown, with a live
 * preview), and whether it is private. A plain form: without JavaScript the receivers are typed
 * as names, handles or addresses and the cost is worked out on submit; with it, people are
 * suggested and the cost follows what is typed.
 */
export function KudosGiveForm({
  values,
  allowance,
  subject,
  receivers,
  failed,
  submissionKey,
}: {
  values: PickableValue[];
  allowance: { left: number; granted: number; resetsAt: Date | string };
  subject: { itemId: number; title: string; url: string; kind: ItemKind } | null;
  /** The receivers to start with (`?to=`), as the field writes them. */
  receivers: string;
  failed: FormFailure | null;
  submissionKey: string;
}) {
  const v = failed?.values;
  const e = failed?.fieldErrors;
  const [message, setMessage] = useState(v?.message ?? "");
  const [people, setPeople] = useState(() => splitReceivers(v?.receivers ?? receivers).length);
  const [points, setPoints] = useState(() => Number(v?.pointsEach ?? KUDOS_DEFAULT_POINTS));
  return (
    <Form method="post" noValidate className="space-y-1">
      <input type="hidden" name="submissionKey" value={submissionKey} />
      {subject ? <input type="hidden" name="subjectItemId" value={subject.itemId} /> : null}
      <FormError message={failed?.formError ?? e?.subjectItemId} />
      {subject ? (
        <p className="mb-5 rounded-lg border border-slate-200 bg-slate-50 px-4 py-3 text-sm text-slate-700">
          For the {KIND_NOUNS[subject.kind]}{" "}
          <Link to={subject.url} className="font-medium text-brand-700 hover:underline">
            {subject.title}
          </Link>
          . Everyone who can see it sees the kudos on it, unless you make it private.
        </p>
      ) : null}
      <KudosPeoplePicker defaultValue={v?.receivers ?? receivers} error={e?.receivers} onCount={setPeople} />
      <KudosValuePicker values={values} defaultValue={v?.valueId} error={e?.valueId} />
      <FieldShell
        label="Points each"
        error={e?.pointsEach}
        hint={
          <>
            <span aria-live="polite">{costLine(points, people, allowance.left)}</span> Your allowance of {allowance.granted.toLocaleString("en")} points resets on{" "}
            {absoluteDate(allowance.resetsAt)}; unused points lapse.
          </>
        }
        className="mb-5 max-w-sm"
      >
        {(control) => (
          <input
            {...control}
            type="number"
            name="pointsEach"
            min={0}
            max={KUDOS_MAX_POINTS_EACH}
            step={1}
            inputMode="numeric"
            defaultValue={v?.pointsEach ?? String(KUDOS_DEFAULT_POINTS)}
            onInput={(event) => setPoints(Number(event.currentTarget.value))}
            className={textControlClass(e?.pointsEach)}
          />
        )}
      </FieldShell>
      <div className="mb-5 grid gap-4 lg:grid-cols-2">
        <FieldShell label="Message" className="" error={e?.message} hint="What did they do, and what difference did it make? Markdown; type @ and a name to mention someone.">
          {(control) => (
            <MentionTextarea
              {...control}
              name="message"
              rows={7}
              maxLength={KUDOS_MESSAGE_MAX}
              defaultValue={v?.message}
              onInput={(event) => setMessage(event.currentTarget.value)}
              className={textControlClass(e?.message)}
            />
          )}
        </FieldShell>
        <MarkdownPreview text={message} title="Preview" />
      </div>
      <div className="mb-6 flex items-start gap-3">
        <input id="kudos-private" type="checkbox" name="private" defaultChecked={v?.private === "on"} aria-describedby="kudos-private-hint" className="mt-1 size-4 accent-brand-600" />
        <div>
          <label htmlFor="kudos-private" className="text-sm font-medium text-slate-800">
            Private
          </label>
          <p id="kudos-private-hint" className="text-xs text-slate-500">
            Only you, the people you thank and their managers see it: it stays off feeds, profiles and the thing it thanks for everyone else, HR and admins included.
          </p>
        </div>
      </div>
      <SubmitButton pendingText="Giving…">Give kudos</SubmitButton>
    </Form>
  );
}
