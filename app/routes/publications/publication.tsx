import { Link, data, href, redirect } from "react-router";
import type { Route } from "./+types/publication";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { acceptFlag, approvePublication, discardPublication, getPublication, redactFlag, saveDraft, setConsent, unpublishPublication } from "#app/features/publishing/publishing.server.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { env } from "#app/lib/env.server.ts";
import { NotFoundError, attempt } from "#app/lib/errors.ts";
import { type FormFailure, type FormResult, parseForm, readForm } from "#app/lib/forms.ts";
import { idParam, isRowId } from "#app/lib/ids.ts";
import { PageHeader } from "#app/components/page-header.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { ApprovalsPanel } from "#app/components/publishing/approvals-panel.tsx";
import { ConsentPanel } from "#app/components/publishing/consent-panel.tsx";
import { DraftEditor, type SavedMeanwhile } from "#app/components/publishing/draft-editor.tsx";
import { FlagList } from "#app/components/publishing/flag-list.tsx";
import { AcceptFlagSchema, ApproveSchema, ConsentSchema, RedactFlagSchema, UnpublishSchema, parseDraftForm } from "#app/components/publishing/form-schemas.ts";
import { EndActions, ForumPreview, PublicationDiff, Timeline } from "#app/components/publishing/publication-sections.tsx";
import { PublicationStatusBadge } from "#app/components/publishing/status-badge.tsx";
import { absoluteDate } from "#app/lib/time.ts";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.view.title} · Publishing · Commons` : "Commons" }];
}

function publicationId(params: { publicationId?: string }): number {
  const id = idParam(params.publicationId);
  if (!isRowId(id)) throw new NotFoundError();
  return id;
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const view = await getPublication(context.db, actor, publicationId(params));
  return { view, companyName: env().COMPANY_NAME, viewerId: actor.id, now: Date.now() };
}

type Failure = FormFailure & { intent: string; flagId: number | null; meanwhile: SavedMeanwhile | null };

/** One action, an `intent` per form: save, redact, accept, consent, approve, unpublish, discard. */
export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const db = context.db;
  const id = publicationId(params);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const here = href("/publications/:publicationId", { publicationId: String(id) });
  const run = async <T,>(parsed: FormResult<T>, write: (input: T) => Promise<unknown>) => (parsed.ok ? attempt(parsed.values, () => write(parsed.data)) : parsed);
  let result;
  switch (intent) {
    case "save": {
      const parsed = parseDraftForm(form);
      result = await run(parsed, (input) => saveDraft(db, actor, id, input));
      if (!result.ok && parsed.ok) {
        // Refused: if someone saved meanwhile, the form keeps what was typed and shows their text.
        const now = await getPublication(db, actor, id);
        const meanwhile = now.revision === parsed.data.revision ? null : { revision: now.revision, title: now.title, parts: now.parts.map((p) => ({ id: p.id, body: p.body })) };
        return data({ ...result, intent, flagId: null, meanwhile } satisfies Failure, { status: 400 });
      }
      break;
    }
    case "redact":
      result = await run(parseForm(RedactFlagSchema, form), ({ flagId }) => redactFlag(db, actor, id, flagId));
      break;
    case "accept":
      result = await run(parseForm(AcceptFlagSchema, form), ({ flagId, reason }) => acceptFlag(db, actor, id, flagId, reason));
      break;
    case "consent":
      result = await run(parseForm(ConsentSchema, form), (input) => setConsent(db, actor, id, input));
      break;
    case "approve":
      result = await run(parseForm(ApproveSchema, form), ({ revision }) => approvePublication(db, actor, id, revision));
      break;
    case "unpublish":
      result = await run(parseForm(UnpublishSchema, form), ({ reason }) => unpublishPublication(db, actor, id, reason));
      break;
    case "discard":
      result = await attempt({}, () => discardPublication(db, actor, id));
      if (result.ok) throw redirect(href("/publications"));
      break;
    default:
      throw data("Unknown action", { status: 400 });
  }
  if (!result.ok) {
    const flagId = idParam(form.get("flagId"));
    return data({ ...result, intent, flagId: isRowId(flagId) ? flagId : null, meanwhile: null } satisfies Failure, { status: 400 });
  }
  throw redirect(here);
}

export default function PublicationPage({ loaderData, actionData }: Route.ComponentProps) {
  const { view, companyName, viewerId, now } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const failure = (intent: string) => (failed?.intent === intent ? failed : null);
  const mine = view.can.consent ? (view.consents.find((c) => c.user.id === viewerId) ?? null) : null;
  const asker = view.parts.find((p) => p.kind === "question")?.author.id;
  const editing = view.can.edit && view.status === "draft";
  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader crumbs={[{ label: "Publishing", to: href("/publications") }]} title={view.title}>
        <p className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-600">
          <PublicationStatusBadge status={view.status} />
          <span>
            From{" "}
            <Link to={questionUrl({ id: view.question.id, title: view.question.title })} className="font-medium text-brand-700 hover:underline">
              the internal question
            </Link>{" "}
            in {view.question.spaceName}
          </span>
          <span>
            Proposed by {view.proposer.name}, <RelativeTime date={view.createdAt} now={now} />
          </span>
          <span>Version {view.revision}</span>
          {view.expiresAt ? <span>Leaves the forum on {absoluteDate(view.expiresAt)} (UTC)</span> : null}
          {view.threadUrl && view.status === "published" ? (
            <a href={view.threadUrl} className="font-semibold text-brand-700 hover:underline">
              View it on the public forum
            </a>
          ) : null}
        </p>
      </PageHeader>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-6">
          <FlagList flags={view.flags} parts={view.parts} canResolve={editing} failure={failure("redact") ?? failure("accept")} now={now} />
          {editing ? <DraftEditor key={view.revision} view={view} failure={failure("save")} meanwhile={failure("save")?.meanwhile ?? null} /> : null}
          {view.diff ? <PublicationDiff diff={view.diff} /> : null}
          <ForumPreview view={view} companyName={companyName} />
        </div>
        <div className="min-w-0 space-y-6">
          <ApprovalsPanel view={view} spaceName={view.question.spaceName} failure={failure("approve")} now={now} />
          <ConsentPanel consents={view.consents} companyName={companyName} mine={mine} isAsker={asker === viewerId} failure={failure("consent")} />
          <EndActions view={view} failure={failure("unpublish") ?? failure("discard")} />
          <Timeline events={view.events} now={now} />
        </div>
      </div>
    </div>
  );
}
