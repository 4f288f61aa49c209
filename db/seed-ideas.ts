import { and, count, eq, inArray, sql } from "drizzle-orm";
import { answerInvitation } from "../app/features/ideas/ideas.server.ts";
import { type MergeInput, type SETTABLE_STATUSES, StatusSchema } from "../app/features/ideas/schemas.ts";
import { CommentSchema } from "../app/features/qa/schemas.ts";
import { addComment } from "../app/features/social/comments.server.ts";
import { scoreIdea } from "../app/features/ideas/scores.server.ts";
import { castIdeaVote, recountVotes, votesUsed } from "../app/features/ideas/votes.server.ts";
import { changeIdeaStatus, mergeIdea } from "../app/features/ideas/workflow.server.ts";
import { createCampaign, createIdea } from "./factories/ideas.ts";
import type { Db, Tx } from "./client.server.ts";
import { random } from "./generate/random.ts";
import { campaigns, ideas, notifications, type users, votes } from "./schema/index.ts";
import { md, type SpaceSlug } from "./seed-content.ts";

/**
 * The demo company's idea campaigns: one run by People & Culture with a vote budget, one from
 * Support without. Their ideas go through the feature functions the app uses (submission, votes,
 * comments, co-owners, evaluators' scores, the status workflow and a merge), in the order they
 * happened, so owners, timelines, reputation and notifications are real.
 *
 * Times are relative to the moment of seeding: `daysAgo` for a campaign's start and an idea's
 * submission, `after` (days, fractions allowed) for everything that happened to an idea since.
 * `votes` is how many colleagues vote for an idea; a budget or a small audience may give it fewer.
 */

type Department = "Engineering" | "Support" | "Sales" | "HR" | "Finance";
type SettableStatus = (typeof SETTABLE_STATUSES)[number];

export type SeedIdeaComment = { by: string; after: number; body: string };

export type SeedIdea = {
  /** How other ideas of the seed refer to this one (a merge names its target by key). */
  key: string;
  by: string;
  daysAgo: number;
  title: string;
  category: string;
  tags: string[];
  body: string;
  /** A colleague invited when the idea was submitted, who accepts `after` days later. */
  coOwner?: { name: string; after: number };
  votes: number;
  comments?: SeedIdeaComment[];
  /** Status changes by the sponsor, in order. */
  decisions?: Array<{ status: SettableStatus; after: number; reason?: string }>;
  /** A duplicate: merged by the sponsor into the idea with this key. */
  mergeInto?: { key: string; after: number; reason: string };
  /** Evaluators' private scores, per criterion from 1 to 5. */
  scores?: Array<{ by: string; after: number; scores: Record<string, number> }>;
};

export type SeedCampaign = {
  space: SpaceSlug;
  sponsor: string;
  title: string;
  brief: string;
  categories: string[];
  criteria: string[];
  startedDaysAgo: number;
  endsInDays: number;
  voteBudget: number | null;
  evaluators: string[];
  /** Whose votes come first: people from these departments, then everyone else. */
  closestTo: Department[];
  ideas: SeedIdea[];
};

export const CAMPAIGNS: SeedCampaign[] = [
  {
    space: "ask-support",
    sponsor: "Marco Rossi",
    title: "Ideas from support",
    brief: md`
      Support sees every rough edge of Northwind Orders first. What would make your day easier, or
      get customers a good answer sooner? Tools, macros, the knowledge base, how we escalate to
      engineering: post it here, one idea per post, and say what it would save.

      Elena and Nora go through new ideas every Tuesday and answer each one. There's no vote limit
      in this campaign: vote for everything you would use. Engineers are very welcome to chip in.
    `,
    categories: ["Tooling", "Knowledge base", "Escalations", "Customer communication"],
    criteria: ["Customer impact", "Feasibility"],
    startedDaysAgo: 32,
    endsInDays: 28,
    voteBudget: null,
    evaluators: ["Elena Petrova", "Nora Lindqvist"],
    closestTo: ["Support", "Engineering"],
    ideas: [
      {
        key: "ticket-sidebar",
        by: "Chloe Dubois",
        daysAgo: 31,
        title: "Show the customer's plan, admins and open incidents in the ticket sidebar",
        category: "Tooling",
        tags: ["support-tools"],
        coOwner: { name: "Yuki Tanaka", after: 0.2 },
        votes: 16,
        body: md`
          For almost every ticket I open the admin console in a second tab to check three things:
          which plan the customer is on, who their admins are, and whether there's an incident in
          their region. That's about a minute per ticket, and as a team we handle around 150 a day.

          The new help desk supports sidebar apps. A small one that shows

          - the plan and renewal date,
          - the account's admins (name and email),
          - any open incident affecting them, with a link to the status page

          would answer most of those questions before we've even read the ticket. Yuki and I
          sketched a mock-up and are happy to walk anyone through it.
        `,
        comments: [
          { by: "Marco Rossi", after: 1, body: "This would save us a lot of tab switching. Yuki, does the admin console API tell us which incidents affect an account's region?" },
          { by: "Kenji Sato", after: 1.6, body: "It does: `/accounts/:id/incidents` returns the active ones for the account's region. I can set you up with a read-only token." },
        ],
        decisions: [
          { status: "under_review", after: 2 },
          { status: "accepted", after: 5, reason: "Yes. Yuki builds the sidebar app against the admin console API with Platform's help; Chloe owns the design." },
          { status: "in_progress", after: 8, reason: "Being built alongside the help desk migration, so it's there on the first day of the new tool." },
          {
            status: "implemented",
            after: 20,
            reason:
              "Live in the help desk for everyone: the sidebar shows the plan and renewal date, the account's admins and any open incident in the customer's region, straight from the admin console. Chloe designed it and Yuki built the integration, with Kenji's help on the API. In the first week the median handling time of billing and access tickets went down by about a minute.",
          },
        ],
        scores: [
          { by: "Elena Petrova", after: 3, scores: { "Customer impact": 4, Feasibility: 4 } },
          { by: "Nora Lindqvist", after: 3.5, scores: { "Customer impact": 4, Feasibility: 5 } },
        ],
      },
      {
        key: "macro-suggestions",
        by: "Fatima Zahra",
        daysAgo: 29,
        title: "Suggest the right macro from the words in the ticket",
        category: "Tooling",
        tags: ["macros", "support-tools"],
        votes: 11,
        body: md`
          We have 140 macros and I still search for the right one by name, which only works if you
          remember the name. The new help desk can suggest macros from the words in a ticket.

          Could we switch that on, starting with the billing queue? About 20 macros cover most
          billing tickets, and "where is my invoice", "change the billing contact" and "refund"
          alone are a third of the volume there.
        `,
        decisions: [
          { status: "under_review", after: 3 },
          { status: "accepted", after: 9, reason: "Worth trying on the billing queue first, where a few macros cover most tickets." },
          {
            status: "in_progress",
            after: 15,
            reason:
              "Switched on for the billing queue as a trial. Fatima and Nora are tuning the keywords of the 20 billing macros; we'll look at how often the first suggestion is the right one after two weeks, then decide on the other queues.",
          },
        ],
      },
      {
        key: "2fa-form",
        by: "Samuel Osei",
        daysAgo: 27,
        title: "Turn the 2FA reset identity check into a form inside the ticket",
        category: "Escalations",
        tags: ["account-access", "two-factor"],
        votes: 8,
        body: md`
          The identity check before a 2FA reset (call back the number on the contract, confirm two of
          three facts) lives in our heads and in an old answer here. When I'm in a hurry I scroll to
          find it, and what we log in the ticket is free text that looks different for each of us.

          A short form in the ticket, with each check as a required field, would make sure nobody
          skips a step, and would give us the same record every time if a customer ever disputes a reset.
        `,
        comments: [{ by: "Priya Nair", after: 1, body: "From Security: yes please, and keep the call-back as a required step. We'd like to read the form before it goes live." }],
        decisions: [
          { status: "under_review", after: 4 },
          { status: "accepted", after: 10, reason: "Nora builds it as a ticket form for the Account access queue, with the checks as required fields. Security has reviewed the wording." },
        ],
      },
      {
        key: "incident-subscriptions",
        by: "Yuki Tanaka",
        daysAgo: 22,
        title: "Let Enterprise admins subscribe to incident updates for their region",
        category: "Customer communication",
        tags: ["incident"],
        votes: 9,
        body: md`
          During the last incident we answered 60 tickets that all asked "is it just us?".
          Enterprise customers want to hear it from us first, not from their warehouse staff.

          The status page can already send email and webhook notifications per component. If
          Enterprise admins could subscribe to the components of their region, they would get our
          updates as we post them, and we'd spend the incident helping instead of replying.
        `,
        decisions: [{ status: "under_review", after: 5, reason: "Checking with Platform which status page components map to which regions." }],
        scores: [{ by: "Elena Petrova", after: 6, scores: { "Customer impact": 5, Feasibility: 3 } }],
      },
      {
        key: "incident-emails",
        by: "Ben Carter",
        daysAgo: 20,
        title: "Email Enterprise customers automatically when an incident affects them",
        category: "Customer communication",
        tags: ["incident"],
        votes: 4,
        body: md`
          When there's an incident, the customer success managers write to each affected Enterprise
          customer by hand, which takes an hour we don't have at that moment. Could the status page
          email them for us?
        `,
        mergeInto: {
          key: "incident-subscriptions",
          after: 3,
          reason: "Same outcome as letting Enterprise admins subscribe to incident updates for their region: merged so the votes and the discussion are in one place.",
        },
      },
      {
        key: "database-access",
        by: "Ben Carter",
        daysAgo: 25,
        title: "Read-only production database access for senior support engineers",
        category: "Escalations",
        tags: ["support-tools", "security-review"],
        votes: 6,
        body: md`
          When a customer's order totals look wrong, we open a ticket for engineering and wait a day
          for someone to run a query. A read-only login on the replica for the three senior support
          engineers would let us answer many of these within the hour.
        `,
        decisions: [
          { status: "under_review", after: 3 },
          {
            status: "declined",
            after: 7,
            reason:
              "We can't do this one. The production database holds our customers' personal data, and our customer contracts and ISO 27001 scope limit access to named engineers, with a reason logged for every query. Instead, Platform will add the lookups Support needs most to the admin console, where access is logged and limited to one account at a time. Tell us in the comments which lookups you would use first.",
          },
        ],
        comments: [
          {
            by: "Ben Carter",
            after: 7.5,
            body: "Fair enough. Top of my list: an order's full history of changes, and the webhook delivery log per endpoint.",
          },
        ],
        scores: [{ by: "Elena Petrova", after: 4, scores: { "Customer impact": 3, Feasibility: 1 } }],
      },
      {
        key: "translated-articles",
        by: "Fatima Zahra",
        daysAgo: 24,
        title: "Translate the 20 most-read knowledge base articles into French, German and Portuguese",
        category: "Knowledge base",
        tags: ["support-tools"],
        votes: 6,
        body: md`
          About a third of our tickets come from customers who write in French, German or
          Portuguese, and we answer them with links to English articles. The 20 most-read articles
          cover most of their questions.

          We have native speakers of all three in the team. Translating those articles would let
          customers help themselves, and make our replies shorter.
        `,
        decisions: [
          { status: "under_review", after: 4 },
          {
            status: "accepted",
            after: 11,
            reason: "Planned for next quarter. Nora picks the 20 articles from the knowledge base statistics; Chloe, Fatima and a German speaker from Sales review the translations.",
          },
        ],
      },
      {
        key: "p1-handbook",
        by: "Kenji Sato",
        daysAgo: 18,
        title: "One handbook for P1s that come in outside EU hours",
        category: "Escalations",
        tags: ["escalation", "on-call"],
        votes: 7,
        body: md`
          What to do with a P1 at night is spread over the wiki, a pinned message in
          \`#support-leads\` and an answer here. I'd like one short handbook, owned by Support and
          Engineering together:

          1. how to page engineering on-call;
          2. what to post in \`#incident-room\`;
          3. who the Support lead on duty is and how to reach them;
          4. what to tell the customer in the first 15 minutes (with the macro).

          We'd review it after every night-time P1.
        `,
        decisions: [{ status: "under_review", after: 6 }],
        scores: [{ by: "Nora Lindqvist", after: 7, scores: { "Customer impact": 3, Feasibility: 5 } }],
      },
      {
        key: "macro-links",
        by: "Nora Lindqvist",
        daysAgo: 9,
        title: "Link every macro to the knowledge base article it summarises",
        category: "Knowledge base",
        tags: ["macros", "support-tools"],
        votes: 3,
        body: md`
          Half our macros paraphrase a knowledge base article, and when the article changes the
          macro doesn't. If each macro ended with a link to its article, and the article's page
          listed the macros that quote it, we would update both in one go, and customers could
          read the full version.
        `,
        comments: [
          { by: "Fatima Zahra", after: 7.2, body: "The new help desk shows a macro's article beside it if we fill in its *Source article* field. I can do the billing macros this week." },
        ],
      },
      {
        key: "webhook-retry",
        by: "Mateo García",
        daysAgo: 5,
        title: "A retry button for failed webhook deliveries in the admin console",
        category: "Tooling",
        tags: ["webhooks", "api"],
        votes: 5,
        body: md`
          Support regularly asks us to redeliver webhooks once a customer has fixed their endpoint
          (the missing intermediate certificate case, for example). The delivery log already lists
          the failures. A **Retry** button next to each failed delivery, plus _Retry all failed
          since…_, would let Support do it without a ticket to engineering.
        `,
        comments: [{ by: "Yuki Tanaka", after: 0.8, body: "Yes please! I ask engineering for a redelivery about twice a week." }],
      },
    ],
  },
  {
    space: "people-and-culture",
    sponsor: "Lena Fischer",
    title: "Make our HR processes simpler",
    brief: md`
      Which HR process costs you the most time for the least value? Forms you fill in twice,
      approvals that wait a week, policies nobody can find. Post one idea per process: what
      happens today, what you would change, and who would notice the difference.

      - You have **5 votes**: spend them on the ideas you want most. Votes on an idea we decline
        come back to you.
      - Sarah and Ravi from People Operations review the ideas every Friday, and every idea gets an
        answer before the campaign closes.
      - Payroll and Finance are in the loop, so ideas about expenses and payslips are welcome too.
    `,
    categories: ["Onboarding", "Leave & absence", "Expenses", "Payroll", "Benefits", "Learning"],
    criteria: ["Impact", "Feasibility"],
    startedDaysAgo: 20,
    endsInDays: 25,
    voteBudget: 5,
    evaluators: ["Sarah O'Connor", "Ravi Patel"],
    closestTo: [],
    ideas: [
      {
        key: "receipt-photos",
        by: "Tom Becker",
        daysAgo: 19,
        title: "Photograph receipts in the expenses app instead of posting the originals",
        category: "Expenses",
        tags: ["expenses", "travel"],
        votes: 14,
        body: md`
          Every month I put my receipts in an envelope and post them to the Finance office in
          Lisbon, because the expenses tool only takes scans and the paper originals have to
          follow. Last quarter two envelopes got lost and I had to fill in missing-receipt forms for
          €340 of client dinners.

          The expenses tool has a mobile app that can photograph a receipt and read the amount and
          the date. Could we

          - accept a photo from the app as the receipt, and
          - stop asking for the paper original, or keep it only above a limit?

          Everyone who travels would get an evening a month back, and Finance would stop opening envelopes.
        `,
        comments: [
          {
            by: "Omar Farouk",
            after: 0.4,
            body: "The expenses tool can already do this: we never switched receipt capture on because of the old rule about originals. I'm checking with the auditors whether a photo is enough.",
          },
          { by: "Anna Kowalski", after: 3, body: "The auditors are fine with photos as long as they're legible and kept for ten years, which the tool does. Over to Omar to switch it on." },
          { by: "Tom Becker", after: 3.2, body: "Great news, thank you both. Happy to test it on my next trip." },
        ],
        decisions: [
          { status: "under_review", after: 1.5 },
          { status: "accepted", after: 4, reason: "The auditors accept legible photos kept for ten years, which the expenses tool does. Finance will switch on receipt capture." },
          { status: "in_progress", after: 5, reason: "Omar is switching on receipt capture for a pilot group in Sales, then for everyone." },
          {
            status: "implemented",
            after: 12,
            reason:
              "Live for everyone: the expenses app now takes a photo of a receipt and fills in the amount, date and merchant, and paper originals no longer go to Lisbon (keep them for 30 days in case of a question). Thanks to Omar and Anna in Finance for clearing it with the auditors, and to Tom and Isabella for pushing for it.",
          },
        ],
        scores: [
          { by: "Sarah O'Connor", after: 2, scores: { Impact: 4, Feasibility: 5 } },
          { by: "Ravi Patel", after: 2.5, scores: { Impact: 4, Feasibility: 4 } },
        ],
      },
      {
        key: "paper-receipts",
        by: "Isabella Moretti",
        daysAgo: 17.5,
        title: "Stop asking for paper receipts to be sent to Lisbon",
        category: "Expenses",
        tags: ["expenses"],
        votes: 5,
        body: md`
          I spend more time scanning, stapling and posting receipts than on the trips themselves.
          Everywhere else I've worked, a photo was enough. Once the scan is in the tool the paper
          adds nothing, and if the auditors need it, surely a legible photo will do?
        `,
        mergeInto: {
          key: "receipt-photos",
          after: 1.5,
          reason: "The same change as photographing receipts in the expenses app: merged so the votes count together, and Isabella is now an owner of that idea.",
        },
      },
      {
        key: "access-before-day-one",
        by: "Emily Johnson",
        daysAgo: 18,
        title: "Request new starters' CRM and VPN access when the contract is signed, not on day one",
        category: "Onboarding",
        tags: ["onboarding", "vpn"],
        votes: 12,
        body: md`
          On my first day I had a laptop and email but no CRM and no VPN, so I spent two days
          shadowing instead of calling. The access requests only go out on day one, and the CRM
          licence then waits for the manager's approval.

          We know the start date and the role weeks ahead. If the requests went out when the
          contract is signed:

          1. the manager approves the CRM licence before the person arrives;
          2. IT assigns the VPN profile in the same batch;
          3. the new starter signs in on day one and gets going.

          The two other SDRs who started with me had exactly the same first week.
        `,
        comments: [
          {
            by: "Ravi Patel",
            after: 2.5,
            body: "The IT part is easy: accounts can be created as soon as the contract is in the HR system. The CRM licence needs a cost centre, which we also know at signing. Looking into it with IT.",
          },
        ],
        decisions: [
          { status: "under_review", after: 2 },
          {
            status: "accepted",
            after: 6,
            reason: "IT and People Operations agree: access requests will go out when the contract is signed, with the manager's approvals due a week before the start date.",
          },
          {
            status: "in_progress",
            after: 9,
            reason: "The HR system now sends the access requests at signing for Sales hires; Engineering and Support follow once the first intake has started.",
          },
        ],
        scores: [
          { by: "Sarah O'Connor", after: 3, scores: { Impact: 5, Feasibility: 3 } },
          { by: "Ravi Patel", after: 3, scores: { Impact: 5, Feasibility: 4 } },
        ],
      },
      {
        key: "parental-leave-page",
        by: "Ahmed Hassan",
        daysAgo: 14,
        title: "Put everything about parental leave on one page, with a timeline",
        category: "Leave & absence",
        tags: ["parental-leave", "benefits"],
        votes: 6,
        body: md`
          When we were expecting, I found the rules in three places: the intranet page, the London
          handbook and a PDF form. What helped in the end was Sarah's answer here on Commons. One
          page with a timeline would have saved a lot of back and forth:

          - **15 weeks before the due date:** tell your manager and HR, send the form;
          - **before the leave:** agree the blocks and a handover;
          - **during the leave:** keep-in-touch days, and who to call;
          - **coming back:** the phased return and what changes on the payslip.
        `,
        decisions: [
          { status: "under_review", after: 2 },
          { status: "accepted", after: 5, reason: "Lena will rewrite the intranet page as a timeline for every office and retire the PDF form. Ahmed has agreed to read the draft." },
        ],
      },
      {
        key: "home-office-cash",
        by: "Oliver Brown",
        daysAgo: 15,
        title: "Pay the home office allowance as a monthly amount instead of against receipts",
        category: "Benefits",
        tags: ["remote-work", "expenses"],
        votes: 7,
        body: md`
          The home office allowance is €400 every two years, claimed with receipts. Many of us never
          claim it because we don't buy a monitor every two years, while electricity and internet
          cost us every month. A small monthly amount on the payslip (say €15) would be simpler for
          everyone and fairer to people who work from home most days.
        `,
        comments: [
          {
            by: "Zoe Williams",
            after: 3,
            body: "From Payroll: a monthly allowance would be taxed as salary in all four countries, so it would be worth a lot less than it looks. Happy to explain the details to anyone curious.",
          },
        ],
        decisions: [
          { status: "under_review", after: 2 },
          {
            status: "declined",
            after: 6,
            reason:
              "We looked at this with Payroll in all four countries. A flat monthly amount counts as taxable salary everywhere we operate, so €15 would leave most people with about €8, and Payroll would need a new pay element in each country. Claims against receipts stay tax-free, so the allowance stays as it is. We have widened what it covers, though: desk lamps, headsets and webcams now count as well as monitors, chairs and keyboards.",
          },
        ],
        scores: [{ by: "Sarah O'Connor", after: 3, scores: { Impact: 3, Feasibility: 1 } }],
      },
      {
        key: "learning-one-form",
        by: "Aisha Rahman",
        daysAgo: 16,
        title: "One request for a conference: the ticket and the travel together",
        category: "Learning",
        tags: ["learning", "travel"],
        votes: 9,
        body: md`
          To go to a conference today, you request the ticket in the learning portal, then ask your
          manager separately for flights and a hotel from the team's travel budget, then book the
          travel. That's two approvals for one trip, often a week apart, and by then the early-bird
          price is gone.

          One form with the ticket, an estimate for the travel and the dates, approved once by the
          manager, would be enough. The learning portal could pass the travel part on to the travel
          budget by itself.
        `,
        comments: [
          {
            by: "Julia Nowak",
            after: 1,
            body: "Agreed, the two approvals are a leftover from when learning and travel had different owners. I'll find out what the learning portal can pass on.",
          },
        ],
        decisions: [
          { status: "under_review", after: 3 },
          {
            status: "accepted",
            after: 8,
            reason: "Julia will add the travel estimate to the learning request, so the manager approves both at once; Finance books it against the travel budget.",
          },
        ],
      },
      {
        key: "holiday-balance",
        by: "Samuel Osei",
        daysAgo: 12,
        title: "Show how many holiday days I have left on the HR portal's home page",
        category: "Leave & absence",
        tags: ["benefits"],
        votes: 8,
        body: md`
          To see my remaining holiday I open the HR portal, go to _Time off → Balances → Details_,
          and add the carried-over days myself because they're listed separately. That's three
          clicks and some arithmetic for the one number everyone wants before booking a trip.

          Could the home page show the balance, carried-over days included, and the date they expire?
        `,
        decisions: [{ status: "under_review", after: 4 }],
        scores: [{ by: "Ravi Patel", after: 4.5, scores: { Impact: 3, Feasibility: 5 } }],
      },
      {
        key: "payslips-in-portal",
        by: "Zoe Williams",
        daysAgo: 13,
        title: "Put payslips in the HR portal instead of emailing password-protected PDFs",
        category: "Payroll",
        tags: ["payroll"],
        votes: 10,
        body: md`
          Every month Payroll emails about 400 payslips as password-protected PDFs. The password
          rules differ per country, and I answer around 30 "I can't open my payslip" emails a month.

          The HR portal already has a documents area. If payslips went there:

          - people would read them after signing in with their company account, with no extra password;
          - they would stay available when someone's email address changes;
          - we would stop sending salary details by email.
        `,
        decisions: [{ status: "under_review", after: 5, reason: "Checking with the HR portal's vendor whether documents can be published per person and country." }],
        scores: [
          { by: "Ravi Patel", after: 5.5, scores: { Impact: 3, Feasibility: 4 } },
          { by: "Sarah O'Connor", after: 6, scores: { Impact: 4, Feasibility: 3 } },
        ],
      },
      {
        key: "first-week-checklist",
        by: "Grace Liu",
        daysAgo: 6,
        title: "A first-week checklist that new starters tick off themselves",
        category: "Onboarding",
        tags: ["onboarding"],
        votes: 3,
        body: md`
          New starters get a welcome email with twelve links, and every team keeps its own
          onboarding page. One checklist in the HR portal (accounts, equipment, your buddy, the
          channels to join, the policies to read) that the new starter ticks off, with their manager
          seeing the progress, would make the first week less of a treasure hunt. Teams could add
          their own items at the end.
        `,
        comments: [
          {
            by: "Kwame Mensah",
            after: 1,
            body: "We'd like this in Talent Acquisition too: the list could start at the signed offer, so the delivery address for the laptop and the start time are sorted before day one.",
          },
        ],
      },
      {
        key: "meal-allowance",
        by: "Mia Hoffmann",
        daysAgo: 3,
        title: "A fixed daily meal allowance for ordinary business trips",
        category: "Expenses",
        tags: ["travel", "expenses"],
        votes: 4,
        body: md`
          For an ordinary two-day trip I collect six or seven meal receipts, photograph each one and
          type it in. The countries we travel to publish a tax-free daily rate for meals. Paying that
          rate for every travel day of an approved trip would

          - save travellers a lot of typing,
          - save Finance checking €8 sandwich receipts,
          - keep us within the tax rules, since the rates are the official ones.

          Client dinners would still be claimed with receipts, as now.
        `,
        comments: [
          {
            by: "Omar Farouk",
            after: 2.4,
            body: "The official daily rates are already in the expenses tool for long trips. Using them for ordinary trips is mostly a policy change: I'll take it to the next Finance review.",
          },
        ],
      },
      {
        key: "sick-notes",
        by: "Diego Fernández",
        daysAgo: 1.5,
        title: "Upload sick notes in the HR portal instead of emailing them",
        category: "Leave & absence",
        tags: ["benefits", "gdpr"],
        votes: 2,
        body: md`
          In Portugal we need a doctor's note from the third day of sick leave. Today it goes by email
          to HR Operations with the manager in copy, so health information ends up in several inboxes.
          An upload in the HR portal that only HR can open, and a message to the manager that the
          absence is covered (without the note), would be better for everyone.
        `,
        comments: [
          { by: "Ravi Patel", after: 1, body: "Agreed. The portal can take uploads that only HR Operations can open; I'm checking how long we have to keep the notes in Portugal." },
        ],
      },
    ],
  },
];

type User = typeof users.$inferSelect;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type CampaignSeedResult = { campaigns: number; ideas: number; ideaVotes: number };

/**
 * Runs the campaigns above through the feature functions. Every step happens "now" inside the
 * seed's transaction, where `now()` stands still; right after each step, the rows it wrote (still
 * dated `now()`) are moved to the moment the step belongs to. Steps run in the order of those
 * moments, so votes are cast while their idea was open to them and within the voter's budget at
 * the time, and ids grow with time as they would have.
 *
 * Runs after the Q&A seed, which dates every notification from its question: idea notifications
 * have no question to be dated from.
 */
export async function seedCampaigns(tx: Tx, people: Map<string, User>): Promise<CampaignSeedResult> {
  // The feature functions open their own transaction; inside the seed's it becomes a savepoint.
  const db = tx as unknown as Db;
  const person = (name: string): User => {
    const found = people.get(name);
    if (!found) throw new Error(`seed: unknown person ${name}`);
    return found;
  };
  const [clock] = await tx.execute<{ now: string }>(sql`select now()::text as now`);
  const now = new Date(clock!.now).getTime();
  // Nothing is dated in the last hour (which would read "just now").
  const latest = now - HOUR;

  const steps: Array<{ at: number; run: () => Promise<void> }> = [];
  const ideaIds = new Map<string, number>();
  const campaignIds: number[] = [];
  const idOf = (key: string) => {
    const id = ideaIds.get(key);
    if (id === undefined) throw new Error(`seed: idea "${key}" is used before it was submitted`);
    return id;
  };

  for (const [index, campaign] of [...CAMPAIGNS].sort((a, b) => b.startedDaysAgo - a.startedDaysAgo).entries()) {
    const sponsor = person(campaign.sponsor);
    const campaignId = await createCampaign(db, {
      sponsor,
      space: { slug: campaign.space },
      title: campaign.title,
      brief: campaign.brief,
      categories: campaign.categories,
      criteria: campaign.criteria,
      startsInDays: -campaign.startedDaysAgo,
      endsInDays: campaign.endsInDays,
      voteBudget: campaign.voteBudget,
      evaluators: campaign.evaluators.map(person),
    });
    campaignIds.push(campaignId);
    const [row] = await tx.select({ startsAt: campaigns.startsAt }).from(campaigns).where(eq(campaigns.id, campaignId));
    const startsAt = row!.startsAt.getTime();
    // Prepared by the sponsor a couple of days before it opened.
    await stamp(tx, startsAt - 2 * DAY);
    const rng = random(1000 + index);

    for (const idea of campaign.ideas) {
      const submitted = now - idea.daysAgo * DAY;
      const at = (after: number, what: string) => {
        const time = submitted + after * DAY;
        if (after <= 0 || time > latest) throw new Error(`seed: "${idea.title}": ${what} must come after the submission and before now`);
        return time;
      };
      if (submitted <= startsAt || submitted > latest) throw new Error(`seed: "${idea.title}" must be submitted while "${campaign.title}" is open`);
      const author = person(idea.by);
      const coOwner = idea.coOwner ? person(idea.coOwner.name) : null;

      steps.push({
        at: submitted,
        run: async () => {
          const id = await createIdea(db, { author, campaignId, title: idea.title, body: idea.body, category: idea.category, tags: idea.tags, coOwners: coOwner ? [coOwner] : [] });
          ideaIds.set(idea.key, id);
        },
      });
      if (idea.coOwner && coOwner) steps.push({ at: at(idea.coOwner.after, "the co-owner's answer"), run: () => answerInvitation(db, coOwner, idOf(idea.key), true) });
      for (const c of idea.comments ?? []) {
        steps.push({
          at: at(c.after, "a comment"),
          run: async () => {
            const [commented] = await tx
              .select({ itemId: ideas.itemId })
              .from(ideas)
              .where(eq(ideas.id, idOf(idea.key)));
            await addComment(db, person(c.by), commented!.itemId, CommentSchema.parse({ body: c.body }));
          },
        });
      }
      for (const s of idea.scores ?? []) {
        steps.push({ at: at(s.after, "a score"), run: () => scoreIdea(db, person(s.by), idOf(idea.key), s.scores) });
      }
      let previous = 0;
      for (const d of idea.decisions ?? []) {
        if (d.after <= previous) throw new Error(`seed: "${idea.title}": decisions must be in order`);
        previous = d.after;
        const input = StatusSchema.parse({ status: d.status, reason: d.reason ?? "" });
        steps.push({
          at: at(d.after, "a decision"),
          run: async () => {
            await changeIdeaStatus(db, sponsor, idOf(idea.key), input);
          },
        });
      }
      const merge = idea.mergeInto;
      if (merge) {
        const target = campaign.ideas.find((i) => i.key === merge.key);
        if (!target || target.daysAgo <= idea.daysAgo) throw new Error(`seed: "${idea.title}" must be merged into an earlier idea of its campaign`);
        steps.push({
          at: at(merge.after, "the merge"),
          run: async () => {
            const input: MergeInput = { targetId: idOf(merge.key), reason: merge.reason };
            await mergeIdea(db, sponsor, idOf(idea.key), input);
          },
        });
      }

      // Votes come in until the idea stops taking them (implemented, declined or merged), most of
      // them in its first days. Owners, those who become owners later (by invitation or a merge)
      // and the sponsor don't vote for it.
      const closes = Math.min(
        latest,
        ...(idea.decisions ?? []).filter((d) => d.status === "implemented" || d.status === "declined").map((d) => submitted + d.after * DAY),
        ...(merge ? [submitted + merge.after * DAY] : []),
      );
      const window = Math.min(closes - submitted - 2 * HOUR, 14 * DAY);
      if (idea.votes > 0 && window <= 0) throw new Error(`seed: "${idea.title}" closes to votes before anyone could vote`);
      const owners = new Set([idea.by, idea.coOwner?.name, campaign.sponsor, ...campaign.ideas.filter((i) => i.mergeInto?.key === idea.key).map((i) => i.by)]);
      const candidates = [...people.values()].filter((u) => !owners.has(u.name)).map((u) => ({ u, order: (campaign.closestTo.includes(u.department as Department) ? 0 : 1) + rng() }));
      const pool = candidates.sort((a, b) => a.order - b.order).map((c) => c.u);
      for (let i = 0; i < idea.votes; i++) {
        steps.push({
          at: submitted + HOUR + window * ((i + 1) / (idea.votes + 1)) ** 1.5,
          run: async () => {
            const ideaId = idOf(idea.key);
            // The next colleague in line who hasn't voted for it yet and has a vote left.
            while (pool.length > 0) {
              const voter = pool.shift()!;
              if (campaign.voteBudget !== null && (await votesUsed(tx, campaignId, voter.id)) >= campaign.voteBudget) continue;
              const [already] = await tx
                .select({ one: sql`1` })
                .from(votes)
                .innerJoin(ideas, eq(ideas.itemId, votes.itemId))
                .where(and(eq(ideas.id, ideaId), eq(votes.userId, voter.id)));
              if (already) continue;
              await castIdeaVote(db, voter, ideaId);
              return;
            }
          },
        });
      }
    }
  }

  // Oldest first; a step and the rows it wrote share its moment.
  for (const step of steps.sort((a, b) => a.at - b.at)) {
    await step.run();
    await stamp(tx, step.at);
  }

  const ids = [...ideaIds.values()];
  // Trending weighs each vote by its date, which has just moved into the past.
  await recountVotes(tx, ids);
  await tx
    .update(ideas)
    .set({ updatedAt: sql`greatest(${ideas.createdAt}, ${ideas.statusChangedAt})` })
    .where(inArray(ideas.id, ids));
  // Older notifications have been read, as on the Q&A side.
  await tx
    .update(notifications)
    .set({ readAt: sql`${notifications.createdAt} + interval '5 hours'` })
    .where(and(inArray(notifications.itemId, tx.select({ itemId: ideas.itemId }).from(ideas).where(inArray(ideas.id, ids))), sql`${notifications.createdAt} < now() - interval '3 days'`));
  // recountVotes queued every idea already (vote counts are in their search documents): the relay
  // indexes the demo ideas like any others.

  const [voteCount] = await tx.select({ n: count() }).from(votes).innerJoin(ideas, eq(ideas.itemId, votes.itemId)).where(inArray(ideas.campaignId, campaignIds));
  return { campaigns: campaignIds.length, ideas: ids.length, ideaVotes: voteCount!.n };
}

/**
 * Moves the rows written "now" (the seed transaction's frozen `now()`) to `at`: one statement
 * over every table an idea step writes to. The social layer's tables (items, votes, comments,
 * revisions, follows) are shared with Q&A, whose seed has already moved its own rows into the
 * past: only the idea step's rows are still at `now()`.
 */
async function stamp(tx: Tx, at: number): Promise<void> {
  const when = new Date(at).toISOString();
  await tx.execute(sql`
    with
      c as (update campaigns set created_at = ${when}::timestamptz, updated_at = ${when}::timestamptz where created_at = now()),
      i as (update ideas set
              created_at = case when created_at = now() then ${when}::timestamptz else created_at end,
              status_changed_at = case when status_changed_at = now() then ${when}::timestamptz else status_changed_at end
            where created_at = now() or status_changed_at = now()),
      e as (update idea_events set created_at = ${when}::timestamptz where created_at = now()),
      o as (update idea_owners set created_at = ${when}::timestamptz where created_at = now()),
      t as (update items set created_at = ${when}::timestamptz where created_at = now()),
      v as (update votes set created_at = ${when}::timestamptz, updated_at = ${when}::timestamptz where created_at = now()),
      m as (update comments set created_at = ${when}::timestamptz, updated_at = ${when}::timestamptz where created_at = now()),
      r as (update revisions set created_at = ${when}::timestamptz where created_at = now()),
      f as (update follows set created_at = ${when}::timestamptz where created_at = now()),
      s as (update idea_scores set created_at = ${when}::timestamptz, updated_at = ${when}::timestamptz where created_at = now()),
      n as (update notifications set created_at = ${when}::timestamptz where created_at = now()),
      x as (update reputation_events set created_at = ${when}::timestamptz where created_at = now())
    select 1`);
}
