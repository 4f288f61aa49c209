import { href, Link } from "react-router";
import type { Route } from "./+types/api";
import { Badge } from "#app/components/badge.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { TableHead } from "#app/components/table.tsx";
import { openApiDocument } from "#app/features/api/openapi.server.ts";
import { apiReference, type FieldRow, type OperationView } from "#app/features/api/reference.server.ts";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { env } from "#app/lib/env.server.ts";

export function meta(_: Route.MetaArgs) {
  return [{ title: "REST API reference · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireEmployee(context, request);
  const reference = apiReference(openApiDocument(env().APP_URL));
  // A relative server (APP_URL unset) is shown as this page's own origin, so the examples can be copied as they are.
  const serverUrl = reference.serverUrl.startsWith("/") ? new URL(reference.serverUrl, request.url).href : reference.serverUrl;
  return { ...reference, serverUrl };
}

const ERRORS: Array<[string, string, string]> = [
  ["400", "invalid_request, invalid_json, invalid_cursor", "Something sent is not valid; `fields` holds a message per field."],
  ["401", "unauthorized", "No token, a malformed header, or a token that is unknown, revoked or expired (see the WWW-Authenticate header)."],
  ["403", "forbidden", "A read token on a write call, or something the token's owner may not do."],
  ["404", "not_found", "Missing, or not visible to the token's owner: the two answer alike."],
  ["429", "rate_limited", "Over the rate limit: wait for Retry-After seconds."],
  ["500", "internal", "Our fault: quote the requestId if you report it."],
];

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-");

export default function ApiReferencePage({ loaderData }: Route.ComponentProps) {
  const { sections, schemas, serverUrl } = loaderData;
  return (
    <div className="mx-auto w-full max-w-5xl">
      <PageHeader
        title="REST API reference"
        description={
          <>
            {loaderData.title} {loaderData.version}, generated from the API's own schemas. The machine-readable document is at{" "}
            <a href="/api/v1/openapi.json" className="font-medium text-brand-700 hover:underline">
              /api/v1/openapi.json
            </a>{" "}
            (OpenAPI 3.1).
          </>
        }
      />

      <nav aria-label="On this page" className="mb-8 rounded-xl border border-slate-200 bg-white p-5 text-sm shadow-sm">
        <h2 className="mb-2 font-semibold text-slate-900">On this page</h2>
        <ul className="grid gap-1 sm:grid-cols-3">
          {["Getting started", ...sections.map((s) => s.tag), "Schemas"].map((name) => (
            <li key={name}>
              <a href={`#${slug(name)}`} className="text-brand-700 hover:underline">
                {name}
              </a>
            </li>
          ))}
        </ul>
      </nav>

      <section aria-labelledby="getting-started" className="prose-sm mb-10 space-y-3 text-sm text-slate-700">
        <h2 id="getting-started" className="text-xl font-semibold text-slate-900">
          Getting started
        </h2>
        <h3 className="font-semibold text-slate-900">Authenticate</h3>
        <p>
          Make a personal access token in{" "}
          <Link to={href("/settings/tokens")} className="font-medium text-brand-700 hover:underline">
            Settings → API tokens
          </Link>{" "}
          and send it with every call. A token acts as you and sees exactly what you see; a read token only reads, a write token may also ask, answer, comment, vote and give kudos.
        </p>
        <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">{`curl -H "Authorization: Bearer cmn_…" ${serverUrl}/questions`}</pre>
        <h3 className="font-semibold text-slate-900">Pagination</h3>
        <p>
          Lists answer <code>{"{ data, nextCursor }"}</code>. Pass <code>nextCursor</code> back as <code>?cursor=</code> for the next page; it is null on the last one. Cursors are opaque.
        </p>
        <h3 className="font-semibold text-slate-900">Rate limits</h3>
        <p>
          {loaderData.requestsPerMinute} requests per token per minute, shared by every instance. Answers carry <code>RateLimit-Limit</code>, <code>RateLimit-Remaining</code> and{" "}
          <code>RateLimit-Reset</code>; over the limit you get 429 with <code>Retry-After</code>.
        </p>
        <h3 className="font-semibold text-slate-900">Errors</h3>
        <p>
          Every error answers <code>{'{ "error": { "code", "message", "fields"? } }'}</code>:
        </p>
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Error statuses and codes</caption>
            <TableHead columns={["Status", "Code", "Meaning"]} />
            <tbody className="divide-y divide-slate-100">
              {ERRORS.map(([status, code, meaning]) => (
                <tr key={status}>
                  <td className="px-5 py-2 font-mono">{status}</td>
                  <td className="px-5 py-2 font-mono text-xs">{code}</td>
                  <td className="px-5 py-2">{meaning}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {sections.map((section) => (
        <section key={section.tag} aria-labelledby={slug(section.tag)} className="mb-10">
          <h2 id={slug(section.tag)} className="text-xl font-semibold text-slate-900">
            {section.tag}
          </h2>
          {section.description ? <p className="mt-1 text-sm text-slate-600">{section.description}</p> : null}
          {section.operations.map((op) => (
            <Operation key={op.id} op={op} />
          ))}
        </section>
      ))}

      <section aria-labelledby="schemas" className="mb-10">
        <h2 id="schemas" className="text-xl font-semibold text-slate-900">
          Schemas
        </h2>
        {schemas.map((schema) => (
          <div key={schema.name} className="mt-5">
            <h3 id={`schema-${schema.name}`} className="font-mono text-base font-semibold text-slate-900">
              {schema.name}
            </h3>
            {schema.description ? <p className="mt-1 text-sm text-slate-600">{schema.description}</p> : null}
            {schema.fields.length > 0 ? <Fields rows={schema.fields} caption={`Fields of ${schema.name}`} /> : null}
          </div>
        ))}
      </section>
    </div>
  );
}

/** Text with `code` spans, as the endpoints' descriptions write them; rendered as text, never HTML. */
function Prose({ text }: { text: string }) {
  return (
    <>
      {text
        .replaceAll("**", "")
        .split("`")
        .map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}
    </>
  );
}

function Operation({ op }: { op: OperationView }) {
  return (
    <article aria-labelledby={`op-${op.id}`} className="mt-5 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <h3 id={`op-${op.id}`} className="flex flex-wrap items-center gap-2 text-base font-semibold text-slate-900">
        <span className="rounded bg-slate-900 px-2 py-0.5 font-mono text-xs text-white">{op.method}</span>
        <span className="font-mono">{op.path}</span>
        <span className="font-normal text-slate-600">— {op.summary}</span>
      </h3>
      <p className="mt-2 flex flex-wrap items-center gap-2 text-sm text-slate-600">
        {op.scope === "write" ? <Badge tone="amber">Write token</Badge> : op.scope === "read" ? <Badge tone="green">Any token</Badge> : <Badge>No token</Badge>}
        <span className="font-mono text-xs">{op.id}</span>
      </p>
      {op.description ? (
        <p className="mt-2 text-sm whitespace-pre-line text-slate-700">
          <Prose text={op.description} />
        </p>
      ) : null}
      {op.params.length > 0 ? (
        <>
          <h4 className="mt-4 text-sm font-semibold text-slate-900">Parameters</h4>
          <Fields rows={op.params.map((p) => ({ ...p, name: `${p.name} (${p.in})` }))} caption={`Parameters of ${op.method} ${op.path}`} />
        </>
      ) : null}
      {op.body ? (
        <>
          <h4 className="mt-4 text-sm font-semibold text-slate-900">Request body (JSON)</h4>
          <Fields rows={op.body} caption={`Request body of ${op.method} ${op.path}`} />
        </>
      ) : null}
      <h4 className="mt-4 text-sm font-semibold text-slate-900">
        Response {op.status}:{" "}
        {op.responseRef ? (
          <a href={`#schema-${op.responseRef}`} className="font-mono text-brand-700 hover:underline">
            {op.responseType}
          </a>
        ) : (
          <span className="font-mono">{op.responseType}</span>
        )}
      </h4>
      {op.response.length > 0 ? <Fields rows={op.response} caption={`Response of ${op.method} ${op.path}`} /> : null}
    </article>
  );
}

function Fields({ rows, caption }: { rows: FieldRow[]; caption: string }) {
  return (
    <div className="mt-2 overflow-x-auto rounded-lg border border-slate-200">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <TableHead columns={["Field", "Type", "Required", "Description"]} />
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.name}>
              <td className="px-5 py-2 font-mono text-xs break-all text-slate-900">{row.name}</td>
              <td className="px-5 py-2 font-mono text-xs">
                {row.ref ? (
                  <a href={`#schema-${row.ref}`} className="text-brand-700 hover:underline">
                    {row.type}
                  </a>
                ) : (
                  row.type
                )}
              </td>
              <td className="px-5 py-2">{row.required ? "Yes" : "No"}</td>
              <td className="px-5 py-2 text-slate-700">
                {row.description}
                {row.constraints ? <span className="block text-xs text-slate-500">{row.constraints}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
