/**
 * What the Northwind demo community has been talking about: questions, answers and comments in
 * the five demo spaces, written for the demo (Northwind sells "Northwind Orders", an order and
 * inventory platform for wholesalers, on Starter, Growth and Enterprise plans).
 *
 * db/seed.ts posts these through the same feature functions the app uses, then moves their dates
 * into the past so the lists look lived in. Times are relative to the moment of seeding:
 * `daysAgo` for a question, `after` (hours) for an answer or comment after the post it belongs to.
 * `up`/`down` are the votes a post gets; `accepted` marks the answer its asker accepted.
 */

export type SpaceSlug = "engineering" | "ask-support" | "people-and-culture" | "platform-security" | "deal-desk";

export type SeedComment = { by: string; after: number; body: string };

export type SeedAnswer = {
  by: string;
  after: number;
  body: string;
  up?: number;
  down?: number;
  accepted?: boolean;
  comments?: SeedComment[];
};

export type SeedQuestion = {
  space: SpaceSlug;
  by: string;
  daysAgo: number;
  title: string;
  tags: string[];
  body: string;
  up?: number;
  down?: number;
  comments?: SeedComment[];
  answers?: SeedAnswer[];
};

/** Markdown written indented in this file, with the common indentation removed. */
export function md(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((all, part, i) => all + part + (i < values.length ? String(values[i]) : ""), "");
  const lines = text.replace(/^\n/, "").trimEnd().split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join("\n");
}

/** Descriptions of the most used tags (markdown), shown on tag pages. */
export const TAG_DESCRIPTIONS: Record<string, string> = {
  postgres: "PostgreSQL, the database behind Northwind Orders and most internal services: queries, migrations, pooling, backups.",
  kubernetes: "Our clusters (staging and production) and everything that runs on them: pods, deployments, node pools, `kubectl`.",
  ci: "The build and test pipeline (GitHub Actions): speed, caching, flaky jobs, required checks.",
  testing: "Unit, integration and end-to-end tests (Vitest, Playwright), test data and test tenants.",
  api: "The public Northwind Orders REST API and webhooks: behaviour, limits, versioning. See the [API reference](https://developer.northwind.example/api).",
  "on-call": "Rotas, runbooks, paging and handovers. The rota itself lives in the on-call calendar.",
  incident: "Incidents and their reviews: what happened, what we changed. Blameless by default.",
  secrets: "Credentials, tokens, certificates and how we store and rotate them (Vault).",
  sso: "Single sign-on for our own staff and for customers (SAML and OpenID Connect).",
  billing: "Invoices, usage, payment methods and plan changes for customers.",
  pricing: "List prices, plan limits and what Sales may offer. Exceptions go to the Deal Desk.",
  discounts: "Discount requests and who approves what. The approval matrix is pinned in Deal Desk.",
  contracts: "Order forms, MSAs, payment terms and non-standard clauses.",
  expenses: "What you can claim and how: receipts, limits, approvals. The policy is on the intranet under *Finance → Expenses*.",
  travel: "Booking trips, per diems, travel insurance and working while travelling.",
  onboarding: "The first weeks at Northwind: accounts, equipment, who to ask.",
  vpn: "The company VPN (WireGuard-based): access, clients, connection problems.",
  learning: "The learning budget, courses, conferences and mentoring.",
  "known-issue": "Customer-facing problems engineering already knows about, with workarounds until the fix ships.",
  escalation: "How and when Support hands a case to engineering or management.",
};

export const QUESTIONS: SeedQuestion[] = [
  // ── Engineering ───────────────────────────────────────────────────────────────────────────────
  {
    space: "engineering",
    by: "Sofia Martins",
    daysAgo: 171,
    title: "How do we add an index to the orders table without locking it?",
    tags: ["postgres", "migrations", "deployment"],
    up: 5,
    body: md`
      The \`orders\` table has about 80 million rows now and we need an index on
      \`(customer_id, created_at)\` for the new order history endpoint.

      A plain \`CREATE INDEX\` took an exclusive lock for ~4 minutes on the staging copy. Our
      migration runner wraps every file in a transaction, so I can't just use \`CONCURRENTLY\`.

      What's the accepted way to do this here?
    `,
    answers: [
      {
        by: "Kenji Sato",
        after: 2,
        up: 5,
        accepted: true,
        body: md`
          Use \`CREATE INDEX CONCURRENTLY\` and opt that one migration out of the transaction.
          The runner skips the wrapper when the file starts with a marker comment:

          ~~~sql
          -- migrate:no-transaction
          CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_created_idx
            ON orders (customer_id, created_at);
          ~~~

          Two things to watch:

          1. If it fails half way you are left with an **invalid** index. Check with
             \`select indexrelid::regclass from pg_index where not indisvalid;\` and drop it before retrying.
          2. Keep it alone in its own migration file; nothing else can share a non-transactional file safely.

          On production it took 11 minutes last time for a similar index, with no blocking at all.
        `,
        comments: [
          { by: "Sofia Martins", after: 1, body: "Perfect, the marker comment is exactly what I was missing. Thanks!" },
          { by: "Oliver Brown", after: 5, body: "Worth adding this to the migrations README, I've been bitten by the invalid index leftover too." },
        ],
      },
      {
        by: "Oliver Brown",
        after: 6,
        up: 2,
        body: md`
          Adding to Kenji's answer: run it outside business hours anyway. \`CONCURRENTLY\` doesn't
          block writes, but it does two table scans and the replicas lag while it runs. The
          reporting jobs read from the replica and will show stale numbers for a while.
        `,
      },
    ],
  },
  {
    space: "engineering",
    by: "Mateo García",
    daysAgo: 158,
    title: "docker compose up fails with 'port 5432 is already allocated'",
    tags: ["docker", "onboarding", "postgres"],
    up: 2,
    body: md`
      Setting up my laptop following the onboarding guide. \`docker compose up\` stops with:

      ~~~
      Error response from daemon: driver failed programming external connectivity on endpoint
      northwind-db-1: Bind for 0.0.0.0:5432 failed: port is already allocated
      ~~~

      I don't think I have Postgres running. What am I missing?
    `,
    answers: [
      {
        by: "Lukas Novak",
        after: 0.5,
        up: 4,
        accepted: true,
        body: md`
          The laptop image ships with Postgres.app for the data team, and it starts at login.
          Either quit it from the menu bar, or move our container to another port in a
          \`compose.override.yml\` (git-ignored):

          ~~~yaml
          services:
            db:
              ports:
                - "5433:5432"
          ~~~

          and set \`DATABASE_URL=postgres://northwind:northwind@localhost:5433/northwind\` in your \`.env\`.
        `,
        comments: [{ by: "Mateo García", after: 0.3, body: "It was Postgres.app. Quit it and everything came up, thanks." }],
      },
    ],
  },
  {
    space: "engineering",
    by: "Mateo García",
    daysAgo: 143,
    title: "Which focus style should custom components in the design system use?",
    tags: ["accessibility", "react", "design-system"],
    up: 3,
    body: md`
      I'm building a custom combobox for the warehouse picker. The browser default focus ring is
      hidden by our CSS reset, and I see at least three different focus styles across the app.

      Is there one we should use for new components?
    `,
    answers: [
      {
        by: "Grace Liu",
        after: 3,
        up: 5,
        accepted: true,
        body: md`
          Yes: use the \`focus-ring\` utility from the design system, and only on \`:focus-visible\`:

          ~~~tsx
          <button className="rounded-md px-3 py-2 focus-visible:focus-ring">Pick warehouse</button>
          ~~~

          It's a 2px outline with a 2px offset in \`--color-focus\`, which keeps 3:1 contrast against
          every background we use (that's the WCAG 2.1 non-text contrast requirement).

          For a combobox, also make sure that:

          - focus stays on the input and the active option is announced with \`aria-activedescendant\`;
          - the active option has a visible style that doesn't rely on colour alone.

          The three styles you found are older; there's a ticket to migrate them.
        `,
      },
    ],
  },
  {
    space: "engineering",
    by: "Kenji Sato",
    daysAgo: 124,
    title: "Pods stuck in CrashLoopBackOff on staging after the node pool upgrade",
    tags: ["kubernetes", "staging", "on-call"],
    up: 2,
    body: md`
      Since this morning's node pool upgrade on staging, \`orders-api\` pods restart every minute or so:

      ~~~
      orders-api-7d9c6b5f8-2xkqp   0/1   CrashLoopBackOff   14   38m
      ~~~

      The logs show a clean start and then nothing; no stack trace. Rolling back the image didn't help.
    `,
    answers: [
      {
        by: "Lukas Novak",
        after: 1,
        up: 4,
        accepted: true,
        body: md`
          No stack trace plus a restart every minute smells like the liveness probe, not the app.
          \`kubectl describe pod\` should show \`Liveness probe failed: ... timeout\`.

          The new nodes are a smaller instance type and the app's JVM warm-up now takes ~70 s, while
          the probe gives up after 60. I've added a startup probe so liveness only begins once the
          app is up:

          ~~~yaml
          startupProbe:
            httpGet: { path: /healthz, port: 8080 }
            failureThreshold: 30
            periodSeconds: 5
          ~~~

          Merged in the staging overlay; pods are healthy now.
        `,
        comments: [{ by: "Kenji Sato", after: 2, body: "Confirmed, all green. Can we put the same startup probe on production before that pool gets upgraded?" }],
      },
    ],
  },
  {
    space: "engineering",
    by: "Hannah Schmidt",
    daysAgo: 112,
    title: "How do I get a seeded test tenant for end-to-end tests?",
    tags: ["testing", "ci"],
    up: 2,
    body: md`
      Our Playwright suite creates a tenant through the signup flow in every run, which is slow
      (~40 s) and sometimes trips the signup rate limit. Is there a supported way to get a tenant
      with known data?
    `,
    answers: [
      {
        by: "Mateo García",
        after: 5,
        up: 2,
        body: md`
          There's a fixture endpoint that only exists when \`NODE_ENV=test\`:

          ~~~ts
          const tenant = await request.post("/__test__/tenants", {
            data: { plan: "growth", products: 50, orders: 200 },
          });
          ~~~

          It returns the tenant id and an admin login. Data comes from the same factories the
          integration tests use, so it stays in step with the schema. Tenants older than a day are
          deleted by a nightly job on the CI database.
        `,
      },
    ],
  },
  {
    space: "engineering",
    by: "Oliver Brown",
    daysAgo: 97,
    title: "Kafka consumer lag on order-events spikes every night at 02:00",
    tags: ["kafka", "monitoring"],
    up: 2,
    body: md`
      The \`analytics-ingest\` consumer group falls ~2 million messages behind on \`order-events\`
      every night around 02:00 UTC and takes until about 06:00 to catch up. Nothing alerts, but the
      morning dashboards are stale.

      Where does the burst come from?
    `,
    answers: [
      {
        by: "Kenji Sato",
        after: 20,
        up: 3,
        body: md`
          It's the nightly re-price job: it touches every open order and each update emits an event.
          Two options we discussed with the pricing team:

          - have the job emit one \`price-list-changed\` event instead of one per order (best, but it's their backlog);
          - raise \`analytics-ingest\` from 6 to 12 partitions and consumers, so it drains in under an hour.

          I did the second one today as a stopgap; the graph in the _Streaming_ dashboard should look flat tomorrow.
        `,
      },
      {
        by: "Sofia Martins",
        after: 26,
        up: 2,
        body: md`
          If you only need the latest state per order for the dashboards, a compacted topic keyed by
          order id would also cut the volume a lot: the re-price events for one order collapse into one.
        `,
      },
    ],
  },
  {
    space: "engineering",
    by: "Aisha Rahman",
    daysAgo: 86,
    title: "Where do the iOS push notification keys live, and who renews them?",
    tags: ["mobile", "secrets"],
    up: 2,
    body: md`
      Apple emailed that one of our push certificates expires in 30 days. I can't find where the
      current one is stored or who renewed it last year. Anyone?
    `,
    answers: [
      {
        by: "Lukas Novak",
        after: 4,
        up: 3,
        body: md`
          In Vault under \`secret/mobile/apns\`. The notifications service reads it at start.

          That email is about the old \`.p12\` certificate, which only the legacy app still uses.
          The current app uses a token-based \`.p8\` key that **doesn't expire**, so the cleanest fix
          is to move the legacy app to the key too. If that's not possible in 30 days, renew the
          certificate in the Apple developer account (Daniel and I have access) and put it in Vault.
        `,
      },
    ],
  },
  {
    space: "engineering",
    by: "Lukas Novak",
    daysAgo: 69,
    title: "Terraform plan shows drift on the RDS parameter group on every run",
    tags: ["terraform", "postgres"],
    up: 2,
    body: md`
      Every \`terraform plan\` on the \`prod-data\` workspace wants to change the same parameter:

      ~~~
      ~ parameter {
          ~ value = "on" -> "1"
            name  = "log_min_duration_statement"
        }
      ~~~

      Applying changes nothing and the next plan shows it again.
    `,
    answers: [
      {
        by: "Sofia Martins",
        after: 8,
        up: 2,
        body: md`
          AWS normalizes the value it stores, and the provider compares strings. Write the value
          the way AWS returns it. Also, \`log_min_duration_statement\` is in milliseconds, so "on"
          was never what we meant: I think it should be \`"500"\` like staging.
        `,
        comments: [{ by: "Lukas Novak", after: 3, body: "Ha, so we've been logging every statement over 1 ms. Changing it to 500, thanks." }],
      },
      {
        by: "Mateo García",
        after: 11,
        up: 1,
        down: 2,
        body: md`
          You can silence it with a lifecycle rule:

          ~~~hcl
          lifecycle {
            ignore_changes = [parameter]
          }
          ~~~
        `,
        comments: [{ by: "Sofia Martins", after: 1, body: "That hides every future change to the parameter group too, including real ones. I'd rather fix the value." }],
      },
    ],
  },
  {
    space: "engineering",
    by: "Daniel Kim",
    daysAgo: 61,
    title: "Should the public API move from offset pagination to cursors?",
    tags: ["api", "architecture"],
    up: 4,
    body: md`
      Customers with large catalogues page through \`GET /v2/products?page=…\` and we see requests
      for page 4,000+ that take seconds, plus duplicates or gaps when products change while they page.

      Proposal: add cursor pagination (\`?after=<opaque cursor>\`) in v2 and keep \`page\` working
      but deprecated for a year. Thoughts before I write the RFC?
    `,
    comments: [{ by: "Amara Okafor", after: 4, body: "Supportive. Please include how we communicate the deprecation to integrators." }],
    answers: [
      {
        by: "Sofia Martins",
        after: 3,
        up: 4,
        body: md`
          +1. Keyset pagination on \`(updated_at, id)\` keeps every page the same cost. Make the cursor
          opaque (base64 of the last key plus a version byte) so we can change the sort later
          without breaking clients.
        `,
      },
      {
        by: "Yuki Tanaka",
        after: 7,
        up: 2,
        body: md`
          From the Support side: please return the cursor in a \`Link\` header **and** in the body. Half
          of the integrations we debug are low-code tools that can't read headers.
        `,
      },
      {
        by: "Mateo García",
        after: 30,
        up: 1,
        body: "Let's make sure the SDKs get an iterator helper at the same time, so most customers never see the cursor at all.",
      },
    ],
  },
  {
    space: "engineering",
    by: "Mateo García",
    daysAgo: 44,
    title: "CI takes 25 minutes on the monorepo: what can we cache?",
    tags: ["ci", "github-actions"],
    up: 4,
    body: md`
      A one-line change in the web app triggers the full pipeline: install, build every package,
      all tests. It's 25 minutes on a good day. What are we allowed to cache, and has anyone tried
      running only the affected packages?
    `,
    answers: [
      {
        by: "Lukas Novak",
        after: 6,
        up: 4,
        accepted: true,
        body: md`
          Three things got the web app's pipeline to ~9 minutes in my branch:

          1. Cache the package manager store keyed on the lockfile (\`actions/setup-node\` with \`cache: npm\`).
          2. Cache Playwright browsers keyed on the Playwright version.
          3. Run tests only for affected packages on pull requests, and everything on \`main\`:

          ~~~yaml
          - run: npx turbo run test --filter="...[origin/main]"
          ~~~

          The full run on \`main\` still catches anything the filter misses. PR is up for review.
        `,
      },
      {
        by: "Hannah Schmidt",
        after: 9,
        up: 2,
        body: md`
          Please keep the end-to-end suite out of the "affected" filter for now: it tests across
          packages, and the filter can't see that dependency. It runs in parallel anyway.
        `,
      },
    ],
  },
  {
    space: "engineering",
    by: "Yuki Tanaka",
    daysAgo: 36,
    title: "What does the X-Northwind-Request-Id header map to in our logs?",
    tags: ["api", "monitoring"],
    up: 3,
    body: md`
      Customers often send us the \`X-Northwind-Request-Id\` from a failed API call. How do I find
      that request in the logs myself instead of asking engineering every time?
    `,
    answers: [
      {
        by: "Kenji Sato",
        after: 2,
        up: 5,
        accepted: true,
        body: md`
          It's the \`request_id\` field on every log line the API writes, and the trace id in tracing.
          In the log search (Support has read access), filter on:

          ~~~
          service:orders-api AND request_id:"<the id>"
          ~~~

          Logs are kept for 30 days. Older than that, only the access log remains (status code and
          timing, no body). If the request shows a \`5xx\`, the line right after it usually has the error.
        `,
        comments: [{ by: "Yuki Tanaka", after: 1, body: "This will save us a lot of pings. Adding it to the Support handbook." }],
      },
    ],
  },
  {
    space: "engineering",
    by: "Oliver Brown",
    daysAgo: 15,
    title: "Best way to give Finance read access to warehouse data without a BI licence?",
    tags: ["postgres", "data"],
    body: md`
      @michael.chen in Finance wants to run his own queries on the revenue tables instead of waiting for
      us. A BI seat is expensive for one person. Could we give him a read-only role on the warehouse
      replica, or is that a bad idea?
    `,
    comments: [
      { by: "Michael Chen", after: 3, body: "For context: I mostly need monthly revenue by plan and region, and I'm comfortable with SQL." },
      { by: "Priya Nair", after: 20, body: "A read-only role is fine if it only sees the reporting schema, not the raw customer tables. Happy to review the grants." },
    ],
  },
  {
    space: "engineering",
    by: "Grace Liu",
    daysAgo: 19,
    title: "Hydration warnings in the dashboard after the React 19 upgrade",
    tags: ["react", "frontend"],
    up: 2,
    body: md`
      Since the upgrade the console shows a hydration mismatch on the dashboard:

      ~~~
      Warning: Text content did not match. Server: "3 hours ago" Client: "2 hours ago"
      ~~~

      It only happens for some people. Is anyone else seeing this?
    `,
    answers: [
      {
        by: "Mateo García",
        after: 4,
        up: 2,
        body: md`
          That's the relative time: the server renders it in UTC with its own clock, the browser
          recomputes it. Render it once on the server with a fixed "now" passed down, and put the
          absolute date in a \`<time dateTime>\` element so the client has nothing to recompute.
          We did exactly that for the orders table last sprint.
        `,
      },
      {
        by: "Aisha Rahman",
        after: 9,
        down: 1,
        body: "You can add `suppressHydrationWarning` to the element and the warning goes away.",
        comments: [{ by: "Grace Liu", after: 2, body: "True, but then people still see the wrong time until the next render. I'd rather fix the cause." }],
      },
    ],
  },
  {
    space: "engineering",
    by: "Sofia Martins",
    daysAgo: 9,
    title: "Connection pool exhaustion in the billing worker under load",
    tags: ["postgres", "performance"],
    up: 3,
    body: md`
      During month-end invoicing the billing worker logs:

      ~~~
      TimeoutError: timed out waiting for a connection from the pool (max 20)
      ~~~

      The database itself is at 30% CPU. Raising the pool to 50 made it worse.
    `,
    answers: [
      {
        by: "Kenji Sato",
        after: 3,
        up: 4,
        accepted: true,
        body: md`
          Raising it made it worse because each worker process has its own pool: 8 processes × 50 is
          400 connections, and Postgres spends its time switching between them.

          The real issue is that invoice generation holds a connection while it calls the PDF
          service. Fetch the data, release the connection, then render:

          ~~~ts
          const invoice = await db.transaction(loadInvoiceData); // connection released here
          const pdf = await renderPdf(invoice); // slow, no connection held
          await db.update(invoices).set({ pdfKey: pdf.key }).where(eq(invoices.id, invoice.id));
          ~~~

          With that change, 20 per process was plenty in my load test.
        `,
      },
      {
        by: "Oliver Brown",
        after: 10,
        up: 2,
        down: 1,
        body: "Also worth putting PgBouncer in transaction mode in front of the primary before next month-end; the reporting jobs compete for the same connections.",
      },
    ],
  },
  {
    space: "engineering",
    by: "Kenji Sato",
    daysAgo: 3,
    title: "Who owns the on-call runbook for the payments gateway?",
    tags: ["on-call", "incident"],
    up: 2,
    body: md`
      Got paged for gateway timeouts last night. The runbook linked from the alert still points at
      the old provider and two of its steps no longer exist. Who owns it now, so I can send them
      what I learned?
    `,
    answers: [
      {
        by: "Jonas Weber",
        after: 5,
        up: 2,
        body: md`
          The billing squad owns it since the reorg (@sofia.martins is the contact). Please open a PR with your
          notes directly; runbooks are in the \`ops/runbooks\` folder and any on-call engineer can
          approve changes to them. I'll bring up stale runbooks at Thursday's ops review.
        `,
      },
    ],
  },
  {
    space: "engineering",
    by: "Hannah Schmidt",
    daysAgo: 0.15,
    title: "Playwright tests time out on CI waiting for the dashboard chart",
    tags: ["testing", "ci"],
    body: md`
      \`dashboard.spec.ts\` passes locally every time but fails on CI about one run in five:

      ~~~
      Timeout 5000ms exceeded waiting for getByRole('img', { name: 'Orders per day' })
      ~~~

      The chart renders after a second API call. Should I just raise the timeout?
    `,
    comments: [{ by: "Grace Liu", after: 1, body: "Is the chart lazy-loaded? On CI the chunk might come from a cold cache. Check the network tab in the trace." }],
  },

  // ── Ask Support ───────────────────────────────────────────────────────────────────────────────
  {
    space: "ask-support",
    by: "Chloe Dubois",
    daysAgo: 166,
    title: "CSV import silently skips rows with accented characters",
    tags: ["data-import", "known-issue"],
    up: 4,
    body: md`
      A customer in Lyon imported 1,200 products and only 1,140 arrived. The missing rows are all
      products with accents in the name ("Crème brûlée 6x"). The import report says _success_ with
      no errors. Known problem?
    `,
    answers: [
      {
        by: "Yuki Tanaka",
        after: 2,
        up: 5,
        accepted: true,
        body: md`
          Yes: the importer expects UTF-8, and Excel on Windows saves CSV as Windows-1252 by
          default. The rows that fail to decode are dropped instead of reported (that's the bug).

          Workaround for the customer:

          1. In Excel: _File → Save As → CSV UTF-8 (Comma delimited)_.
          2. Re-import only the missing rows; existing SKUs are matched and not duplicated.

          Engineering ticket: the importer will detect the encoding and list skipped rows in the report.
        `,
        comments: [{ by: "Chloe Dubois", after: 1, body: "Worked, all 1,200 are in. Thank you!" }],
      },
    ],
  },
  {
    space: "ask-support",
    by: "Samuel Osei",
    daysAgo: 149,
    title: "How do I reset two-factor authentication for a customer admin who lost their phone?",
    tags: ["account-access", "two-factor"],
    up: 3,
    body: md`
      The only admin on a Growth account lost their phone and with it their authenticator app.
      They have no backup codes. I can see a _Reset 2FA_ button in the admin console but I don't
      know what checks we need to do first.
    `,
    answers: [
      {
        by: "Marco Rossi",
        after: 1,
        up: 5,
        accepted: true,
        body: md`
          Never reset on the strength of an email alone. The identity check is:

          - a call back to the phone number **on the contract** (not one they give you in the ticket), and
          - confirmation of two of: last invoice amount, billing postcode, the name of another user on the account.

          Log both in the ticket, then use _Reset 2FA_. The admin is asked to set it up again at next
          sign-in. Use the macro **Account access – 2FA reset done** for the reply.

          If the account has another admin, ask _them_ to reset it instead; that needs no checks from us.
        `,
      },
    ],
  },
  {
    space: "ask-support",
    by: "Fatima Zahra",
    daysAgo: 133,
    title: "Refund policy for an annual plan cancelled in the first 30 days?",
    tags: ["refunds", "billing"],
    up: 2,
    body: md`
      A customer signed up for an annual Growth plan, paid upfront, and wants to cancel after 12
      days because their warehouse project was cancelled. Can we refund in full?
    `,
    answers: [
      {
        by: "Elena Petrova",
        after: 3,
        up: 4,
        accepted: true,
        body: md`
          Yes. Annual plans cancelled within 30 days of the first payment get a full refund, no
          questions asked. After 30 days it's pro-rata only with a manager's approval.

          Cancel the subscription in the billing console with _Refund: full_, and mention in the
          reply that refunds take 5–10 business days to reach their card.
        `,
        comments: [{ by: "Pedro Alves", after: 2, body: "From Finance: if they paid by bank transfer, tag the ticket `refund-bank` so we can process it manually." }],
      },
    ],
  },
  {
    space: "ask-support",
    by: "Ben Carter",
    daysAgo: 116,
    title: "Customer wants all their data exported before the contract ends: what do we provide?",
    tags: ["data-export", "gdpr"],
    up: 2,
    body: md`
      An Enterprise customer is leaving at the end of the quarter and their legal team asks for
      "a complete export of all data in a machine-readable format". What do we give them, and how?
    `,
    answers: [
      {
        by: "Nora Lindqvist",
        after: 4,
        up: 4,
        body: md`
          There's a knowledge base article for this: [Exporting your account data](https://help.northwind.example/articles/export).
          In short:

          - admins can run _Settings → Data → Export everything_ themselves: a ZIP of CSV files (products,
            orders, customers, users) plus a JSON file with settings;
          - attachments are included as files with their original names;
          - audit logs are a separate export, up to 12 months back.

          After the contract ends we keep the data for 30 days and then delete it, and Legal can send a
          deletion confirmation on request.
        `,
      },
    ],
  },
  {
    space: "ask-support",
    by: "Yuki Tanaka",
    daysAgo: 101,
    title: "Webhook deliveries to one customer fail with 'certificate verify failed'",
    tags: ["webhooks", "api"],
    up: 2,
    body: md`
      Since Monday every webhook to one customer fails; the delivery log shows
      \`certificate verify failed: unable to get local issuer certificate\`. Their endpoint works
      in my browser. Did we change something?
    `,
    answers: [
      {
        by: "Kenji Sato",
        after: 3,
        up: 4,
        accepted: true,
        body: md`
          We didn't; their server sends only its own certificate and not the intermediate. Browsers
          fetch the missing intermediate themselves, HTTP clients don't. You can see it with:

          ~~~sh
          openssl s_client -connect hooks.customer.example:443 -servername hooks.customer.example
          ~~~

          If the chain shows one certificate only, that's it. They need to serve the full chain
          (\`fullchain.pem\` rather than \`cert.pem\` if they use Let's Encrypt). Failed deliveries are
          retried for 72 hours, so nothing is lost if they fix it soon.
        `,
      },
    ],
  },
  {
    space: "ask-support",
    by: "Chloe Dubois",
    daysAgo: 79,
    title: "What's the escalation path when a P1 comes in outside EU hours?",
    tags: ["escalation", "on-call"],
    up: 3,
    body: md`
      I'm covering the late shift from Lisbon next week. If a P1 (platform down for a customer)
      comes in at 23:00, who do I call? The wiki page mentions a phone bridge that I think no longer exists.
    `,
    answers: [
      {
        by: "Marco Rossi",
        after: 2,
        up: 4,
        accepted: true,
        body: md`
          The bridge is gone. For a P1 at any hour:

          1. Page **engineering on-call** from the incident tool (_Escalate → Engineering primary_). Don't DM people.
          2. Post in \`#incident-room\` with the customer, the ticket link and what they see.
          3. Call the Support lead on duty (the rota is pinned in \`#support-leads\`); that's me next week.

          Austin's team starts at 14:00 Lisbon time, so from then on they are your backup too. I'll fix the wiki page.
        `,
        comments: [{ by: "Yuki Tanaka", after: 5, body: "And feel free to ping me in Austin hours, I'm happy to pair on the first one." }],
      },
    ],
  },
  {
    space: "ask-support",
    by: "Samuel Osei",
    daysAgo: 64,
    title: "Can a customer use SSO and password login at the same time?",
    tags: ["sso", "account-access"],
    up: 2,
    body: md`
      A customer is rolling out SAML SSO but wants to keep password login for two contractors who
      aren't in their identity provider. Is that possible?
    `,
    answers: [
      {
        by: "Priya Nair",
        after: 5,
        up: 4,
        accepted: true,
        body: md`
          Yes. _Settings → Security → Single sign-on_ has an **Enforce SSO** switch: off means both work.
          Better for them: leave enforcement on and add the contractors as **exceptions** (same page,
          _Allow password sign-in for…_). Exceptions must have 2FA, and admins get a monthly reminder
          listing them, so they don't linger forever.
        `,
      },
    ],
  },
  {
    space: "ask-support",
    by: "Fatima Zahra",
    daysAgo: 51,
    title: "Is there a macro for 'where is my invoice' tickets?",
    tags: ["billing", "macros"],
    up: 2,
    body: "We get five or six of these a day and I keep typing the same answer. Is there a macro, and does it cover customers who pay by bank transfer?",
    answers: [
      {
        by: "Nora Lindqvist",
        after: 1,
        up: 3,
        body: md`
          **Billing – Where is my invoice** covers card payments: invoices are under _Settings → Billing → Invoices_
          and emailed to the billing contact.

          For bank transfer customers use **Billing – Invoice by transfer**: their invoice is sent by
          Finance on the 1st working day of the month. I've just updated it with the new Finance address.
        `,
      },
    ],
  },
  {
    space: "ask-support",
    by: "Ben Carter",
    daysAgo: 31,
    title: "Usage dashboard shows more orders than the invoice",
    tags: ["billing", "known-issue"],
    up: 2,
    body: md`
      A Growth customer is billed per order over their allowance. The dashboard says 12,480 orders in
      March, the invoice charges for 12,103. They're happy to pay less, but they want to know which is right.
    `,
    answers: [
      {
        by: "Yuki Tanaka",
        after: 6,
        up: 2,
        body: md`
          The dashboard counts orders **created**, the invoice counts orders **not cancelled** by the
          end of the month. 377 cancelled orders would explain it exactly; you can check with the
          _Cancelled_ filter on the orders page for March.
        `,
      },
      {
        by: "Michael Chen",
        after: 9,
        up: 2,
        body: "Confirming from Finance: the invoice is right. We're adding a line to the invoice that says cancelled orders are not billed, since this question comes up every quarter.",
      },
    ],
  },
  {
    space: "ask-support",
    by: "Marco Rossi",
    daysAgo: 12,
    title: "Moving to the new help desk: what happens to our saved macros?",
    tags: ["macros", "support-tools"],
    up: 2,
    body: "Migration is planned for next month. Will our 140 macros move over automatically, or do we need to recreate them? Some of them use placeholders like the customer's plan.",
    answers: [
      {
        by: "Nora Lindqvist",
        after: 20,
        up: 2,
        body: md`
          The vendor's importer moves the text but not the placeholders: \`{{plan}}\` becomes literal text.
          My plan:

          - retire the ~40 macros nobody used in the last 90 days (list in the migration doc);
          - import the rest, then fix placeholders in the 25 that use them;
          - a read-only copy of the old tool stays available until the end of the year.

          Volunteers to check their team's macros after the import are very welcome.
        `,
        comments: [{ by: "Chloe Dubois", after: 2, body: "I'll take the billing and refund ones." }],
      },
    ],
  },
  {
    space: "ask-support",
    by: "Chloe Dubois",
    daysAgo: 1.2,
    title: "Starter customer asks for a higher API rate limit",
    tags: ["api", "pricing"],
    body: md`
      A Starter customer hits the 60 requests/minute limit while syncing their catalogue once a
      night. Can we raise it for them, or is upgrading to Growth the only answer?
    `,
    comments: [{ by: "Ben Carter", after: 2, body: "I think there's a temporary raise we can give for initial syncs; let me check with the account team." }],
  },

  // ── People & Culture ──────────────────────────────────────────────────────────────────────────
  {
    space: "people-and-culture",
    by: "Mateo García",
    daysAgo: 176,
    title: "How do I expense a monitor for my home office?",
    tags: ["expenses", "remote-work"],
    up: 2,
    body: "I work from home three days a week and would like a second monitor. Can I buy it myself and expense it, and is there a limit?",
    answers: [
      {
        by: "Omar Farouk",
        after: 3,
        up: 4,
        accepted: true,
        body: md`
          Yes, under the home office allowance: up to **€400 every two years** for equipment
          (monitor, chair, keyboard...). Buy it yourself, then submit it in the expenses tool under the
          category _Home office equipment_ with the receipt. No pre-approval is needed below the limit.

          Laptops and phones are not part of this; they come from IT.
        `,
      },
    ],
  },
  {
    space: "people-and-culture",
    by: "Emily Johnson",
    daysAgo: 154,
    title: "First week: when do I get access to the CRM and the VPN?",
    tags: ["onboarding", "vpn"],
    up: 2,
    body: md`
      I started on Monday as an SDR in Austin. I have email and Commons, but not the CRM or the VPN
      yet, and my manager is travelling. Who should I ask?
    `,
    answers: [
      {
        by: "Ravi Patel",
        after: 2,
        up: 3,
        accepted: true,
        body: md`
          Welcome, Emily! Access requests go out automatically on day one, but the CRM licence needs
          your manager's approval, which is waiting in @isabella.moretti's queue. I've nudged her and
          copied Rachel as backup. You should have it by tomorrow.
        `,
      },
      {
        by: "Lukas Novak",
        after: 4,
        up: 2,
        body: md`
          For the VPN you don't need to wait for anyone: install the client from the _Self Service_ app
          on your laptop and sign in with your company account. If it says "no profile assigned",
          reply here and I'll add you to the group.
        `,
      },
    ],
  },
  {
    space: "people-and-culture",
    by: "Tom Becker",
    daysAgo: 127,
    title: "What's the per diem for the Lisbon sales offsite?",
    tags: ["travel", "expenses"],
    up: 2,
    body: "Flying in from Berlin for three days. Is there a per diem, or do we claim meals with receipts?",
    answers: [
      {
        by: "Omar Farouk",
        after: 5,
        up: 2,
        body: md`
          For company offsites we don't pay per diems: breakfast and dinner are covered by the event
          (the hotel and the team dinners), and you can claim lunch with receipts up to €25 a day.
          Travel to and from the airport is claimable too; please use the metro or a taxi, not premium ride options.
        `,
      },
    ],
  },
  {
    space: "people-and-culture",
    by: "Aisha Rahman",
    daysAgo: 106,
    title: "Can I use my learning budget for a conference abroad?",
    tags: ["learning", "travel"],
    up: 3,
    body: md`
      I'd like to attend a mobile development conference in Amsterdam. The ticket is €650. Does the
      learning budget cover that, and what about the flights and hotel?
    `,
    answers: [
      {
        by: "Julia Nowak",
        after: 6,
        up: 4,
        accepted: true,
        body: md`
          Yes. The learning budget is **€1,500 per person per year** and covers conference tickets,
          courses and books. Travel and hotel for a conference come from your team's travel budget
          instead, so ask your manager to approve those.

          Steps: request the ticket in the learning portal, then book travel the usual way. We ask one
          small thing in return: share two or three takeaways afterwards, here or at a team meeting.
        `,
        comments: [{ by: "Aisha Rahman", after: 2, body: "Great, requested. I'll write up the takeaways here." }],
      },
    ],
  },
  {
    space: "people-and-culture",
    by: "Ahmed Hassan",
    daysAgo: 91,
    title: "How does parental leave work for the London office?",
    tags: ["benefits", "parental-leave"],
    up: 4,
    body: "My partner and I are expecting in the spring. How much leave can I take, is it paid, and how much notice do I need to give?",
    answers: [
      {
        by: "Sarah O'Connor",
        after: 4,
        up: 5,
        accepted: true,
        body: md`
          Congratulations! In every office Northwind gives **16 weeks of fully paid parental leave** to
          every parent, on top of any statutory leave, to be taken within the first year. You can split
          it into up to three blocks.

          Please tell your manager and HR at least 15 weeks before the due date. Lena can walk you
          through the form and the return-to-work options; everything is also on the _Parental leave_
          page of the intranet.
        `,
      },
    ],
  },
  {
    space: "people-and-culture",
    by: "Samuel Osei",
    daysAgo: 74,
    title: "The VPN drops every ten minutes on hotel Wi-Fi",
    tags: ["vpn", "travel", "laptop"],
    up: 2,
    body: "On a customer trip this week. At the hotel the VPN connects, then drops roughly every ten minutes and reconnects. At home it's fine. Anything I can do?",
    answers: [
      {
        by: "Lukas Novak",
        after: 1,
        up: 4,
        accepted: true,
        body: md`
          Many hotel networks drop idle UDP mappings after a few minutes. In the VPN client open
          _Settings → Advanced_ and turn on **Keep connection alive**; it sends a small packet every 25 s.

          If the hotel blocks UDP entirely, switch the transport to _TCP 443_ in the same menu. Slower,
          but it gets through almost anything.
        `,
        comments: [{ by: "Kenji Sato", after: 6, body: "Keep-alive should really be the default. I'll raise it with IT." }],
      },
    ],
  },
  {
    space: "people-and-culture",
    by: "Diego Fernández",
    daysAgo: 56,
    title: "When does the annual bonus appear on the payslip?",
    tags: ["payroll"],
    up: 2,
    body: "The bonus letters went out last week. Will it be paid with the March salary, and is it taxed differently?",
    answers: [
      {
        by: "Zoe Williams",
        after: 3,
        up: 3,
        body: md`
          It's paid with the **March** salary in every country, as a separate line on the payslip.
          It's taxed as normal income, but because it's a one-off payment the withholding can look
          high that month. In Portugal and Germany that's corrected in your annual tax return.
        `,
      },
    ],
  },
  {
    space: "people-and-culture",
    by: "Grace Liu",
    daysAgo: 41,
    title: "Is there a mentoring programme for engineers moving into management?",
    tags: ["learning", "career"],
    up: 4,
    body: md`
      I'm thinking about moving from senior engineer to engineering manager in the next year.
      Is there a structured way to try it, or someone I could be mentored by?
    `,
    answers: [
      {
        by: "Julia Nowak",
        after: 8,
        up: 3,
        body: md`
          Yes: the **New Managers** cohort starts twice a year (next one in September). It's six
          monthly sessions plus a mentor from another department. Applications open in July; I'll
          make sure you get the invite.
        `,
      },
      {
        by: "Amara Okafor",
        after: 30,
        up: 4,
        body: md`
          In Engineering we also offer a six-month "tour of duty": you lead a small team with your
          current manager as a coach, and you can go back to the IC track afterwards with no questions
          asked. Talk to Daniel; several of our managers started that way.
        `,
        comments: [{ by: "Grace Liu", after: 4, body: "That's exactly the kind of trial I was hoping for. Booked time with Daniel." }],
      },
    ],
  },
  {
    space: "people-and-culture",
    by: "Hannah Schmidt",
    daysAgo: 26,
    title: "Can I work from another country for a few weeks?",
    tags: ["remote-work", "travel"],
    up: 4,
    body: "I'd like to spend four weeks with family in Canada this summer and work from there. Is that allowed?",
    answers: [
      {
        by: "Lena Fischer",
        after: 5,
        up: 4,
        accepted: true,
        body: md`
          Yes, up to **30 working days a year** from another country, with your manager's approval and
          a short form for HR (tax and insurance need to know). Canada is on the list of approved
          countries. Two conditions: keep some overlap with your team's hours, and no customer data on
          personal devices or networks without the VPN.
        `,
      },
    ],
  },
  {
    space: "people-and-culture",
    by: "Isabella Moretti",
    daysAgo: 16,
    title: "How do I nominate a colleague for the quarterly recognition award?",
    tags: ["recognition"],
    up: 2,
    body: "Ahmed went far beyond his role on a difficult renewal this quarter and I'd like to nominate him. Where do I do that?",
    answers: [
      {
        by: "Lena Fischer",
        after: 2,
        up: 2,
        body: "Nominations are open until the 20th in the HR portal under *Recognition → Nominate*. Two or three concrete examples of what he did help the panel most. Thank you for taking the time!",
      },
    ],
  },
  {
    space: "people-and-culture",
    by: "Mia Hoffmann",
    daysAgo: 6,
    title: "How old does a laptop have to be before it can be replaced?",
    tags: ["laptop"],
    up: 2,
    body: "Mine is almost four years old and struggles with large spreadsheets. Is there a replacement cycle?",
    answers: [
      {
        by: "Ingrid Larsen",
        after: 4,
        up: 2,
        accepted: true,
        body: md`
          Laptops are replaced after **four years**, or earlier if they fail or no longer meet your role's
          needs. Since yours is nearly there, open a request in the IT portal now; delivery takes about two
          weeks, and the old one is wiped and recycled.
        `,
      },
    ],
  },
  {
    space: "people-and-culture",
    by: "Kwame Mensah",
    daysAgo: 2,
    title: "Does the referral bonus apply when a contractor becomes permanent?",
    tags: ["hiring"],
    body: md`
      A contractor I referred last year has just been offered a permanent role. Does the referral
      bonus apply, given they were already working with us?
    `,
  },
  {
    space: "people-and-culture",
    by: "Michael Chen",
    daysAgo: 0.7,
    title: "Which receipts do I need for a client dinner over €150?",
    tags: ["expenses"],
    body: "Taking a customer's finance team to dinner next week; it'll be around €300 for five people. What do I need to keep besides the receipt?",
    answers: [
      {
        by: "Omar Farouk",
        after: 3,
        up: 1,
        body: md`
          For business meals over €150 keep:

          - the **itemized** receipt (not only the card slip);
          - the names and companies of the guests, in the expense's description;
          - your manager's approval if it's over €60 a head.

          Alcohol is fine within reason; tips up to 10%.
        `,
      },
    ],
  },

  // ── Platform Security (restricted) ────────────────────────────────────────────────────────────
  {
    space: "platform-security",
    by: "Priya Nair",
    daysAgo: 99,
    title: "Review: staging API token leaked in a public gist",
    tags: ["incident", "secrets"],
    up: 4,
    body: md`
      On Tuesday a secret scanner alerted us that a staging API token was in a public gist. Timeline,
      impact and actions are below; please add anything I missed before we close the review.

      - **09:12** scanner alert, token revoked at 09:20;
      - the gist was created 3 days earlier while debugging a webhook;
      - access logs show **no use** of the token from outside our network;
      - staging holds only synthetic data.
    `,
    comments: [{ by: "Jonas Weber", after: 3, body: "Thanks for the quick turnaround. Let's keep this blameless; the process made it too easy." }],
    answers: [
      {
        by: "Kenji Sato",
        after: 4,
        up: 2,
        body: md`
          One addition: the token was a long-lived personal token. Staging tokens created from the
          developer console have no expiry at all. We should default them to 7 days.
        `,
      },
      {
        by: "Jonas Weber",
        after: 6,
        up: 3,
        accepted: true,
        body: md`
          Actions we agreed:

          1. Developer-console tokens expire after 7 days by default, 90 days at most (owner: Kenji).
          2. The secret scanner runs as a pre-commit hook in every repo, not only in CI (owner: Priya).
          3. Short section in the onboarding guide on sharing debug output safely (owner: Grace).

          Review closed; follow-ups are tracked on the security board.
        `,
      },
    ],
  },
  {
    space: "platform-security",
    by: "Sofia Martins",
    daysAgo: 71,
    title: "Rotating the Postgres admin password without downtime",
    tags: ["postgres", "secrets"],
    up: 2,
    body: md`
      The yearly rotation for the production Postgres admin role is due. Last year we restarted
      every service to pick up the new password. Can we avoid that this time?
    `,
    answers: [
      {
        by: "Priya Nair",
        after: 6,
        up: 4,
        accepted: true,
        body: md`
          Services shouldn't be using the admin role at all; only migrations and humans should.
          Since the audit, every service has its own role with a Vault-issued password that's rotated
          automatically, so rotating the admin password only affects:

          - the migration job (reads it from Vault at start: nothing to restart);
          - the break-glass procedure (update the sealed copy).

          ~~~sql
          ALTER ROLE northwind_admin WITH PASSWORD '…';  -- run from the bastion, never from a laptop
          ~~~

          If you find a service still logging in as admin, tell me, that's a finding.
        `,
      },
    ],
  },
  {
    space: "platform-security",
    by: "Mateo García",
    daysAgo: 47,
    title: "Should session tokens be hashed in the database?",
    tags: ["sso", "secrets"],
    up: 2,
    body: md`
      For the new customer portal, sessions are random 32-byte tokens in a cookie, stored as-is in a
      \`sessions\` table. A reviewer asked us to hash them. Is it worth it if the table is already
      protected?
    `,
    answers: [
      {
        by: "Priya Nair",
        after: 3,
        up: 4,
        accepted: true,
        body: md`
          Yes, and it's cheap. With the token stored as-is, anyone who reads the table (a backup, a
          replica, a SQL injection somewhere else) can sign in as every user. Store only a **SHA-256**
          of the token and look sessions up by the hash:

          ~~~ts
          const id = sha256hex(token);
          const session = await db.query.sessions.findFirst({ where: eq(sessions.id, id) });
          ~~~

          A slow hash (argon2) isn't needed here: the token is 256 bits of randomness, so nobody can
          brute-force it from the hash.
        `,
      },
    ],
  },
  {
    space: "platform-security",
    by: "Grace Liu",
    daysAgo: 22,
    title: "CSP blocks the new product analytics snippet: do we allow it?",
    tags: ["csp", "frontend"],
    up: 2,
    body: md`
      Marketing wants a product analytics snippet on the dashboard. Our Content-Security-Policy blocks
      it (inline script plus a script from their CDN). Do we add \`'unsafe-inline'\`, or is there a better way?
    `,
    answers: [
      {
        by: "Priya Nair",
        after: 5,
        up: 3,
        accepted: true,
        body: md`
          Please don't add \`'unsafe-inline'\`: that turns off most of what the CSP protects against.
          Our policy already uses a per-response **nonce**, so:

          1. move the inline part into our own bundle (it's just configuration);
          2. load their script with the nonce, and add their CDN host to \`script-src\`.

          I'd also like a quick look at what data the snippet sends before it goes live.
        `,
      },
    ],
  },
  {
    space: "platform-security",
    by: "Kenji Sato",
    daysAgo: 4,
    title: "Dependabot opened 40 pull requests after the lockfile refresh: how do we triage?",
    tags: ["dependencies", "ci"],
    up: 2,
    body: "We refreshed the lockfile and Dependabot promptly opened 40 PRs, three of them flagged as security updates. Is there an agreed order or policy?",
    answers: [
      {
        by: "Jonas Weber",
        after: 8,
        up: 2,
        body: md`
          Security updates first, within a week for _high_ and _critical_; everything else can be
          grouped. I've enabled grouped updates for dev dependencies, which should turn most of the
          40 into two or three PRs from next week.
        `,
      },
    ],
  },
  {
    space: "platform-security",
    by: "Daniel Kim",
    daysAgo: 0.4,
    title: "What is in scope for next month's penetration test?",
    tags: ["security-review"],
    body: "The external pen test is booked for the 14th. Are the mobile apps and the public API in scope, or only the web app? I need to plan who's on standby.",
  },

  // ── Deal Desk (restricted) ────────────────────────────────────────────────────────────────────
  {
    space: "deal-desk",
    by: "Tom Becker",
    daysAgo: 146,
    title: "Customer asks for 25% off a three-year Enterprise deal: who approves?",
    tags: ["discounts", "pricing"],
    up: 2,
    body: md`
      A wholesaler in Hamburg is ready to sign a three-year Enterprise contract if we give 25% off
      list. I'm authorised up to 15%. Who signs off on more, and how long does it take?
    `,
    answers: [
      {
        by: "Rachel Adams",
        after: 2,
        up: 3,
        accepted: true,
        body: md`
          The approval matrix:

          | Discount  | Approver          | Typical time |
          | --------- | ----------------- | ------------ |
          | up to 15% | Account Executive | —            |
          | 15–25%    | VP Sales          | 1 day        |
          | over 25%  | VP Sales and CFO  | 2–3 days     |

          25% on a three-year term is reasonable; send me the deal in the CRM with _Discount request_
          and the reason (competitor, volume). Prepaid annually helps your case.
        `,
        comments: [{ by: "Charlotte Evans", after: 3, body: "Agreed on 25% if they pay annually in advance. Not with monthly payment." }],
      },
    ],
  },
  {
    space: "deal-desk",
    by: "Isabella Moretti",
    daysAgo: 94,
    title: "Can we accept net 90 payment terms from a public-sector buyer?",
    tags: ["contracts", "payment-terms"],
    up: 2,
    body: "A regional health authority in the UK wants net 90 days; our standard is net 30. Their procurement says it's non-negotiable. Can we?",
    answers: [
      {
        by: "Pedro Alves",
        after: 4,
        up: 2,
        accepted: true,
        body: md`
          Yes for public sector, which is low credit risk. Net 60 or 90 needs Finance approval:
          add me as an approver on the order form. We'd ask for annual invoicing rather than monthly
          so it doesn't turn into constant chasing.
        `,
      },
    ],
  },
  {
    space: "deal-desk",
    by: "Diego Fernández",
    daysAgo: 57,
    title: "How should we word a multi-year price lock in the order form?",
    tags: ["contracts", "pricing"],
    up: 2,
    body: md`
      A customer wants their per-order price locked for three years. Is there standard wording? I
      don't want to lock the price of add-ons they might buy later.
    `,
    answers: [
      {
        by: "Charlotte Evans",
        after: 6,
        up: 2,
        accepted: true,
        body: md`
          Use the approved clause from the clause library, _Price protection (subscription only)_:

          > The subscription fees set out in this Order Form will not increase during the Initial Term.
          > Fees for products added after the Effective Date are set at the then-current list price.

          That covers the add-ons. Anything beyond three years goes to Legal.
        `,
        comments: [{ by: "Pedro Alves", after: 2, body: "And please make sure the CRM has the lock end date so renewals don't apply the uplift by mistake." }],
      },
    ],
  },
  {
    space: "deal-desk",
    by: "Tom Becker",
    daysAgo: 17,
    title: "Customer in Zurich wants to be invoiced in CHF: do we support it?",
    tags: ["billing", "pricing"],
    up: 1,
    body: "Swiss distributor, Growth plan with about 20,000 orders a month. They'd rather pay in Swiss francs. Do we bill in CHF, and at what rate?",
    answers: [
      {
        by: "Michael Chen",
        after: 20,
        up: 2,
        body: md`
          We invoice in EUR, GBP and USD only. We can quote in CHF for their approval, but the
          invoice is in EUR at the rate on the invoice date. Adding CHF billing is on the roadmap for
          next year, once we have a Swiss bank account.
        `,
      },
    ],
  },
  {
    space: "deal-desk",
    by: "Isabella Moretti",
    daysAgo: 0.25,
    title: "Is there a non-profit discount for a charity on the Growth plan?",
    tags: ["discounts", "pricing"],
    body: "A food bank network wants Growth for its three warehouses. Do we have a non-profit price, or does it go through the normal discount process?",
  },
];
