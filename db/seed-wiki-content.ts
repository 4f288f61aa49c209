/**
 * The demo company's wiki and articles (issue 16): an onboarding guide with its subpages and
 * on-call runbooks in Engineering, an HR policy (its review date past due) and a travel FAQ in
 * People & Culture, and a few articles. Written by hand for Northwind; db/seed-wiki.ts posts them
 * through the feature functions.
 */

export type SeedPage = {
  space: string;
  title: string;
  by: string;
  /** The title of the page it sits under. */
  parent?: string;
  tags?: string[];
  body: string;
  /** Later versions: who saved them and the text they saved. */
  edits?: Array<{ by: string; body: string; comment: string }>;
  /** Other owners besides the writer. */
  owners?: string[];
  /** Verified this many days ago, with this review interval (days). */
  verified?: { daysAgo: number; interval: number; by: string };
  protect?: boolean;
  /** How long ago it was written. */
  daysAgo: number;
};

export const SEED_PAGES: SeedPage[] = [
  {
    space: "engineering",
    title: "Engineering onboarding guide",
    by: "Jonas Weber",
    tags: ["onboarding"],
    owners: ["Daniel Kim"],
    verified: { daysAgo: 20, interval: 90, by: "Jonas Weber" },
    daysAgo: 120,
    body: `Welcome to Northwind engineering. This guide is the map for your first two weeks; each step links to the page with the details.

## Your first day

- Collect your laptop from IT (see [[Laptop setup]]).
- Join the \`#eng-announcements\` and \`#eng-help\` channels.
- Read [[How we ship code]] before your first pull request.

## Your first week

Pair with your onboarding buddy on a small bug. Ask questions in the Engineering space: someone has usually asked before, and the answer you get helps the next person too.

## Your first on-call

You shadow one rotation before you take the pager. The runbooks live under [[On-call runbooks]].

## Who to ask

Your manager for priorities, your buddy for everything else, and @jonas.weber for anything about this guide.`,
    edits: [
      {
        by: "Grace Liu",
        comment: "Added the accessibility checklist to week one",
        body: `Welcome to Northwind engineering. This guide is the map for your first two weeks; each step links to the page with the details.

## Your first day

- Collect your laptop from IT (see [[Laptop setup]]).
- Join the \`#eng-announcements\` and \`#eng-help\` channels.
- Read [[How we ship code]] before your first pull request.

## Your first week

Pair with your onboarding buddy on a small bug. Ask questions in the Engineering space: someone has usually asked before, and the answer you get helps the next person too.

Frontend engineers also go through the design system's accessibility checklist in week one.

## Your first on-call

You shadow one rotation before you take the pager. The runbooks live under [[On-call runbooks]].

## Who to ask

Your manager for priorities, your buddy for everything else, and @jonas.weber for anything about this guide.`,
      },
    ],
  },
  {
    space: "engineering",
    title: "Laptop setup",
    by: "Lukas Novak",
    parent: "Engineering onboarding guide",
    tags: ["onboarding", "laptop"],
    daysAgo: 110,
    body: `Every engineer gets a 14" laptop with 32 GB of memory. IT enrols it in device management before you arrive.

## Tools

1. Install the package manager and run \`make bootstrap\` in the \`dev-env\` repository.
2. Sign in to the VPN client with SSO.
3. Request access to the staging cluster through the access portal.

## Troubleshooting

If the VPN drops on hotel Wi-Fi, switch the client to TCP mode. The Ask Support space has a thread about it.`,
  },
  {
    space: "engineering",
    title: "How we ship code",
    by: "Daniel Kim",
    parent: "Engineering onboarding guide",
    tags: ["ci", "code-review"],
    owners: ["Jonas Weber"],
    verified: { daysAgo: 40, interval: 180, by: "Daniel Kim" },
    protect: true,
    daysAgo: 100,
    body: `Small pull requests, reviewed within a working day, deployed by the pipeline.

## Pull requests

- One change per pull request; under 400 lines where you can.
- A reviewer from the owning team approves; CI must be green.
- Write the why in the description: the diff shows the what.

## Deploying

Merges to \`main\` deploy to staging automatically. Production deploys run at 10:00 and 15:00 Berlin time, Monday to Thursday.

## Rolling back

Use the pipeline's "Roll back" button; never force-push \`main\`. Then open an incident review in Platform Security if customers were affected.`,
  },
  {
    space: "engineering",
    title: "On-call runbooks",
    by: "Kenji Sato",
    tags: ["on-call"],
    owners: ["Lukas Novak"],
    daysAgo: 90,
    body: `Runbooks for the alerts that page. Each one says how to tell what is wrong, what to do first, and when to wake someone up.

- [[Runbook: billing worker connection pool exhausted]]
- [[Runbook: Kafka consumer lag on order-events]]

Escalation: the incident commander rota is in the paging tool; the payments gateway belongs to the Billing team.`,
  },
  {
    space: "engineering",
    title: "Runbook: billing worker connection pool exhausted",
    by: "Sofia Martins",
    parent: "On-call runbooks",
    tags: ["postgres", "on-call"],
    verified: { daysAgo: 10, interval: 90, by: "Sofia Martins" },
    daysAgo: 60,
    body: `## Symptoms

The \`billing-worker\` alert fires with "remaining connection slots are reserved"; invoices stop being generated.

## Diagnosis

\`\`\`sql
SELECT state, count(*) FROM pg_stat_activity WHERE application_name = 'billing-worker' GROUP BY state;
\`\`\`

Many connections "idle in transaction" mean a job holds a transaction open while it calls the payment provider.

## Mitigation

1. Restart the worker deployment: \`kubectl -n billing rollout restart deployment/billing-worker\`.
2. If it comes back within the hour, lower \`BILLING_CONCURRENCY\` to 4.

## Escalation

Page the Billing team's on-call if invoices are still delayed after 30 minutes.`,
  },
  {
    space: "engineering",
    title: "Runbook: Kafka consumer lag on order-events",
    by: "Oliver Brown",
    parent: "On-call runbooks",
    tags: ["kafka", "on-call"],
    daysAgo: 45,
    body: `## Symptoms

Consumer lag on \`order-events\` climbs past 100,000 messages, usually around 02:00 when the nightly export runs.

## Mitigation

The lag drains by itself within 40 minutes. Page nobody unless it is still growing at 03:00.

## Follow-up

The export should read from the replica; see the question in the Engineering space about it.`,
  },
  {
    space: "people-and-culture",
    title: "Travel and expenses policy",
    by: "Lena Fischer",
    tags: ["expenses", "travel"],
    owners: ["Omar Farouk"],
    // Verified long ago with a 90-day review: past due, so it shows "needs review".
    verified: { daysAgo: 200, interval: 90, by: "Lena Fischer" },
    protect: true,
    daysAgo: 240,
    body: `This policy covers business travel and the expenses you claim for it.

## Booking travel

Book flights and hotels through the travel portal. Economy class for flights under six hours; premium economy above.

## Per diem

The per diem covers meals and incidentals: 45 EUR a day in Berlin and Lisbon, 50 GBP in London, 60 USD in Austin. Don't claim meals the event already provides.

## Claiming expenses

Submit claims within 60 days with a photo of each receipt. Your manager approves; Finance pays with the next payroll.

## Exceptions

Ask @omar.farouk before you book anything the policy doesn't cover.`,
  },
  {
    space: "people-and-culture",
    title: "Travel FAQ",
    by: "Omar Farouk",
    parent: "Travel and expenses policy",
    tags: ["travel"],
    daysAgo: 150,
    body: `## Can I extend a business trip for a holiday?

Yes: you pay the extra nights, and the flight must cost no more than it would have for the business dates.

## What if I lose a receipt?

Write a short note with the date, the amount and what it was for; your manager signs it. See [[Travel and expenses policy]].

## Who books visas?

You do, through the travel portal; the company pays the fee.`,
  },
];

/** A suggested edit waiting for the policy's owners (the page is protected). */
export const SEED_SUGGESTION = {
  page: "Travel and expenses policy",
  by: "Zoe Williams",
  comment: "Payroll now pays expense claims weekly, not with the monthly payroll.",
  from: "Finance pays with the next payroll.",
  to: "Finance pays approved claims every Friday.",
};

/** The accepted answer to this question becomes a page at the top of its space's wiki. */
export const SEED_PROMOTION = {
  question: "How do we add an index to the orders table without locking it?",
  title: "Adding an index without locking a table",
  by: "Jonas Weber",
};

export type SeedArticle = {
  space: string;
  by: string;
  type: "announcement" | "how_to" | "knowledge" | "personal";
  title: string;
  body: string;
  tags?: string[];
  daysAgo: number;
  /** Left as a draft (only its author sees it). */
  draft?: boolean;
};

export const SEED_ARTICLES: SeedArticle[] = [
  {
    space: "engineering",
    by: "Amara Okafor",
    type: "announcement",
    title: "Platform week: what we are fixing in March",
    tags: ["platform"],
    daysAgo: 12,
    body: `Every quarter we stop feature work for a week and fix what slows us down. This time: CI caching, the flaky dashboard tests, and the billing worker's connection pool.

If something slows you down every day, add it to the Platform week idea campaign before Friday.`,
  },
  {
    space: "engineering",
    by: "Grace Liu",
    type: "how_to",
    title: "Focus styles that pass an accessibility audit",
    tags: ["accessibility", "design-system"],
    daysAgo: 30,
    body: `Our design system now has one focus style: a 2px ring in the brand colour with a 2px offset. Here is how to use it in custom components.

## Use the utility

Add \`focus-visible:ring-2 focus-visible:ring-offset-2\` to anything interactive. Never remove the outline without replacing it.

## Check it

Tab through your page. If you can't see where you are at every step, neither can a keyboard user.`,
  },
  {
    space: "ask-support",
    by: "Elena Petrova",
    type: "knowledge",
    title: "What we learned from 1,000 'where is my invoice' tickets",
    tags: ["billing"],
    daysAgo: 45,
    body: `Most of these tickets come in the first three days of the month, and most of them are answered by one sentence: invoices are emailed to the billing contact, not the account owner.

We added a line to the welcome email and the tickets fell by a third.`,
  },
  {
    space: "people-and-culture",
    by: "Julia Nowak",
    type: "personal",
    title: "Why I spent my learning budget on a pottery class",
    tags: ["learning"],
    daysAgo: 20,
    body: `The learning budget isn't only for conferences. I used mine for a ten-week pottery course, and it taught me more about feedback than any workshop: the clay tells you immediately when you rushed.`,
  },
  {
    space: "engineering",
    by: "Kenji Sato",
    type: "knowledge",
    title: "Notes from our first game day",
    tags: ["on-call"],
    daysAgo: 1,
    draft: true,
    body: `Draft: what broke, what the runbooks got right, and what we will change before the next one.`,
  },
];
