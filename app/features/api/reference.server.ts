import { API_REQUESTS_PER_MINUTE } from "#app/features/api-tokens/tokens.server.ts";
import { type OpenApiDocument, TAG_DESCRIPTIONS } from "./openapi.server.ts";

/**
 * The reference page's view of the OpenAPI document (/developers/api): every operation by tag with
 * its parameters, request body fields and response fields, and every named schema's fields. Read
 * from the generated document itself, so the page shows exactly what `/api/v1/openapi.json` says.
 * Plain data: the page renders it as text, with no third-party bundle (the CSP runs only our scripts).
 */

type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  description?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: Schema | boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxItems?: number;
  pattern?: string;
  default?: unknown;
};

export type FieldRow = {
  name: string;
  type: string;
  /** The named schema the type refers to, for a link to its section. */
  ref: string | null;
  required: boolean;
  description: string;
  constraints: string;
};

export type OperationView = {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  scope: "read" | "write" | null;
  params: Array<FieldRow & { in: string }>;
  body: FieldRow[] | null;
  status: string;
  responseType: string;
  responseRef: string | null;
  response: FieldRow[];
};

export type ApiReference = {
  title: string;
  version: string;
  serverUrl: string;
  requestsPerMinute: number;
  sections: Array<{ tag: string; description: string; operations: OperationView[] }>;
  schemas: Array<{ name: string; description: string; fields: FieldRow[] }>;
};

const refName = (ref: string) => ref.replace("#/components/schemas/", "");
const MAX_DEPTH = 3;

export function apiReference(doc: OpenApiDocument): ApiReference {
  const components = (doc.components?.schemas ?? {}) as Record<string, Schema>;
  const resolve = (s: Schema): Schema => (s.$ref ? (components[refName(s.$ref)] ?? {}) : s);

  const typeOf = (s: Schema): { type: string; ref: string | null } => {
    if (s.$ref) return { type: refName(s.$ref), ref: refName(s.$ref) };
    const options = s.anyOf ?? s.oneOf;
    if (options) {
      const parts = options.map(typeOf);
      return { type: parts.map((p) => p.type).join(" or "), ref: parts.find((p) => p.ref)?.ref ?? null };
    }
    if (s.enum) return { type: s.enum.map((v) => JSON.stringify(v)).join(" | "), ref: null };
    const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
    if (types.length === 0) return { type: "any", ref: null };
    let ref: string | null = null;
    const labels = types.map((t) => {
      if (t === "array" && s.items) {
        const item = typeOf(s.items);
        ref ??= item.ref;
        return `${item.type.includes(" ") ? `(${item.type})` : item.type}[]`;
      }
      if (t === "string" && s.format) return `string (${s.format})`;
      if (t === "object" && !s.properties && s.additionalProperties) return "object (map)";
      return t;
    });
    return { type: labels.join(" or "), ref };
  };

  const constraintsOf = (s: Schema): string => {
    const parts: string[] = [];
    if (s.minLength !== undefined) parts.push(`at least ${s.minLength} characters`);
    if (s.maxLength !== undefined) parts.push(`at most ${s.maxLength} characters`);
    if (s.minimum !== undefined) parts.push(`≥ ${s.minimum}`);
    if (s.exclusiveMinimum !== undefined) parts.push(`> ${s.exclusiveMinimum}`);
    if (s.maximum !== undefined) parts.push(`≤ ${s.maximum}`);
    if (s.maxItems !== undefined) parts.push(`at most ${s.maxItems} items`);
    if (s.pattern !== undefined) parts.push(`matches ${s.pattern}`);
    if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`);
    return parts.join(", ");
  };

  /** The fields of an object schema; inline objects inside (not named schemas) are opened up to MAX_DEPTH. */
  const fieldsOf = (schema: Schema, prefix = "", depth = 1): FieldRow[] => {
    const s = resolve(schema);
    const rows: FieldRow[] = [];
    for (const [name, raw] of Object.entries(s.properties ?? {})) {
      const { type, ref } = typeOf(raw);
      rows.push({ name: prefix + name, type, ref, required: (s.required ?? []).includes(name), description: raw.description ?? "", constraints: constraintsOf(raw) });
      if (depth >= MAX_DEPTH || raw.$ref) continue;
      const inner = [raw, ...(raw.anyOf ?? [])].find((o) => o.properties) ?? (raw.items && !raw.items.$ref && raw.items.properties ? raw.items : null);
      if (inner) rows.push(...fieldsOf(inner, `${prefix}${name}${inner === raw.items ? "[]" : ""}.`, depth + 1));
    }
    return rows;
  };

  const sections = new Map<string, OperationView[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of ["get", "post", "put", "patch", "delete"] as const) {
      const op = (item as Record<string, unknown>)[method] as
        | {
            operationId?: string;
            summary?: string;
            description?: string;
            tags?: string[];
            "x-scope"?: "read" | "write";
            parameters?: Array<{ name: string; in: string; required?: boolean; description?: string; schema?: Schema }>;
            requestBody?: { content?: Record<string, { schema?: Schema }> };
            responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
          }
        | undefined;
      if (!op) continue;
      const [status, success] = Object.entries(op.responses ?? {}).find(([code]) => code.startsWith("2")) ?? ["200", {}];
      const responseSchema = success.content?.["application/json"]?.schema ?? {};
      const bodySchema = op.requestBody?.content?.["application/json"]?.schema;
      const tag = op.tags?.[0] ?? "Other";
      const { type: responseType, ref: responseRef } = typeOf(responseSchema);
      const view: OperationView = {
        id: op.operationId ?? `${method}-${path}`,
        method: method.toUpperCase(),
        path,
        summary: op.summary ?? "",
        // The scope is said by its own line on the page.
        description: (op.description ?? "").replace(/\n*(Needs a token with the \*\*write\*\* scope\.|Any token \(read or write\)\.)$/, ""),
        scope: op["x-scope"] ?? null,
        params: (op.parameters ?? []).map((p) => {
          const { type, ref } = typeOf(p.schema ?? {});
          return { in: p.in, name: p.name, type, ref, required: p.required ?? false, description: p.description ?? p.schema?.description ?? "", constraints: constraintsOf(p.schema ?? {}) };
        }),
        body: bodySchema ? fieldsOf(bodySchema) : null,
        status,
        responseType,
        responseRef,
        // A named schema has its own section; an inline one (a page of items) is opened here.
        response: responseSchema.$ref ? [] : fieldsOf(responseSchema),
      };
      sections.set(tag, [...(sections.get(tag) ?? []), view]);
    }
  }

  const tagOrder = (doc.tags ?? []).map((t) => t.name);
  return {
    title: doc.info.title,
    version: doc.info.version,
    serverUrl: doc.servers?.[0]?.url ?? "/api/v1",
    requestsPerMinute: API_REQUESTS_PER_MINUTE,
    sections: [...sections.entries()]
      .sort(([a], [b]) => (tagOrder.indexOf(a) === -1 ? 999 : tagOrder.indexOf(a)) - (tagOrder.indexOf(b) === -1 ? 999 : tagOrder.indexOf(b)))
      .map(([tag, operations]) => ({ tag, description: (doc.tags ?? []).find((t) => t.name === tag)?.description ?? TAG_DESCRIPTIONS[tag] ?? "", operations })),
    schemas: Object.entries(components).map(([name, schema]) => ({ name, description: schema.description ?? "", fields: fieldsOf(schema) })),
  };
}
