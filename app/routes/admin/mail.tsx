import { data, href } from "react-router";
import type { Route } from "./+types/mail";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { deadMailPage, mailHealth, retryDeadMail } from "#app/features/mail/mailer.server.ts";
import { pageParam, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { Notice } from "#app/components/form.tsx";
import { DeadMailTable, MailQueuePanel } from "#app/components/admin/mail-health.tsx";
import { DeadLettersCard } from "#app/components/admin/queue-health.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Mail · Admin · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireAdmin(context, request);
  const [health, dead] = await Promise.all([mailHealth(context.db), deadMailPage(context.db, pageParam(new URL(request.url)))]);
  return { health, dead, now: Date.now() };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireAdmin(context, request);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent !== "retry" && intent !== "retry-all") throw data(null, { status: 400 });
  const id = idParam(form.get("id"));
  if (intent === "retry" && Number.isNaN(id)) throw data(null, { status: 400 });
  const retried = await retryDeadMail(context.db, intent === "retry" ? [id] : undefined);
  const notice =
    retried === 0
      ? "Nothing to retry: those mails are no longer waiting for a retry."
      : `${retried === 1 ? "1 mail is" : `${retried} mails are`} back in line; the mailer sends ${retried === 1 ? "it" : "them"} in a moment.`;
  return { notice };
}

export default function AdminMail({ loaderData, actionData }: Route.ComponentProps) {
  const { health, dead, now } = loaderData;
  const pageHref = (page: number) => (page > 1 ? `${href("/admin/mail")}?page=${page}` : href("/admin/mail"));
  return (
    <>
      <PageHeader title="Mail" description="Whether the mail the app writes reaches the SMTP server, and what to do when it does not." />
      {actionData ? <Notice message={actionData.notice} /> : null}
      <MailQueuePanel health={health} />
      <DeadLettersCard
        total={dead.total}
        description="Mail the mailer gave up on after repeated failures. Fix the cause (the error says what: a wrong SMTP_URL, a relay refusing the sender), then retry."
      >
        <DeadMailTable dead={dead} now={now} pageHref={pageHref} />
      </DeadLettersCard>
    </>
  );
}
