import { and, not, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { idParam } from "#app/lib/ids.ts";
import { scimError } from "./errors.ts";

/**
 * SCIM filters (RFC 7644 §3.4.2.2) as SQL. scimmy parses the expression into a list of branches
 * joined by "or", each an object of attribute → [comparator, value] joined by "and" (sub-attributes
 * nest: `emails.value eq "x"` is `{ emails: { value: ["eq", "x"] } }`). Each resource names the
 * attributes it can filter on; anything else is a 400 `invalidFilter` that says which ones work,
 * rather than a slow scan of every account in memory.
 */

export type FilterKind = "text" | "ci-text" | "bool" | "id" | "time";
export type FilterAttribute = { expr: AnyPgColumn | SQL; kind: FilterKind };
export type FilterAttributes = Record<string, FilterAttribute | ((comparator: string, value: unknown) => SQL)>;

type Expression = [string, unknown] | ["not", string, unknown];

const invalidFilter = (detail: string) => scimError(400, "invalidFilter", detail);

/** `%`, `_` and `\` in a value are matched literally. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function comparison(name: string, attribute: FilterAttribute, comparator: string, value: unknown): SQL {
  const { expr, kind } = attribute;
  if (comparator === "pr") return kind === "text" || kind === "ci-text" ? sql`coalesce(${expr}, '') <> ''` : sql`${expr} is not null`;
  if (comparator === "np") return kind === "text" || kind === "ci-text" ? sql`coalesce(${expr}, '') = ''` : sql`${expr} is null`;
  if (kind === "bool") {
    const wanted = typeof value === "string" ? value.toLowerCase() === "true" : value === true;
    if (comparator === "eq") return sql`${expr} = ${wanted}`;
    if (comparator === "ne") return sql`${expr} <> ${wanted}`;
    throw invalidFilter(`'${name}' can only be compared with eq, ne or pr`);
  }
  if (kind === "id") {
    const id = idParam(typeof value === "number" ? String(value) : value);
    if (comparator === "eq") return Number.isNaN(id) ? sql`false` : sql`${expr} = ${id}`;
    if (comparator === "ne") return Number.isNaN(id) ? sql`true` : sql`${expr} <> ${id}`;
    throw invalidFilter(`'${name}' can only be compared with eq, ne or pr`);
  }
  if (kind === "time") {
    const when = typeof value === "string" ? new Date(value) : null;
    if (!when || Number.isNaN(when.getTime())) throw invalidFilter(`'${name}' must be compared with a date and time, like "2024-05-13T04:42:34Z"`);
    const op = { eq: "=", ne: "<>", gt: ">", ge: ">=", lt: "<", le: "<=" }[comparator];
    if (!op) throw invalidFilter(`'${name}' can be compared with eq, ne, gt, ge, lt, le or pr`);
    return sql`${expr} ${sql.raw(op)} ${when.toISOString()}::timestamptz`;
  }
  if (typeof value !== "string") throw invalidFilter(`'${name}' must be compared with a string`);
  // Case-insensitive attributes (userName, emails, names) compare lower-cased; caseExact ones (externalId) as they are.
  const left = kind === "ci-text" ? sql`lower(${expr})` : sql`${expr}`;
  const right = kind === "ci-text" ? value.toLowerCase() : value;
  switch (comparator) {
    case "eq":
      return sql`${left} = ${right}`;
    case "ne":
      return sql`${left} is distinct from ${right}`;
    case "co":
      return sql`${left} like ${`%${likeEscape(right)}%`}`;
    case "sw":
      return sql`${left} like ${`${likeEscape(right)}%`}`;
    case "ew":
      return sql`${left} like ${`%${likeEscape(right)}`}`;
    case "gt":
    case "ge":
    case "lt":
    case "le":
      return sql`${left} ${sql.raw({ gt: ">", ge: ">=", lt: "<", le: "<=" }[comparator])} ${right}`;
    default:
      throw invalidFilter(`Unknown comparator '${comparator}'`);
  }
}

function isExpression(value: unknown): value is Expression {
  return Array.isArray(value) && typeof value[0] === "string";
}

/** The conditions of one "and" branch, sub-attributes flattened to dotted names. */
function branchConditions(branch: Record<string, unknown>, attributes: FilterAttributes, prefix = ""): SQL[] {
  const conditions: SQL[] = [];
  for (const [key, value] of Object.entries(branch)) {
    const name = prefix + key;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      conditions.push(...branchConditions(value as Record<string, unknown>, attributes, `${name}.`));
      continue;
    }
    // The same attribute twice in one branch (`userName sw "a" and userName ew "z"`) comes as a list of expressions.
    const expressions = isExpression(value) ? [value] : Array.isArray(value) && value.every(isExpression) ? (value as Expression[]) : null;
    if (!expressions) throw invalidFilter(`The filter on '${name}' could not be read`);
    const attribute = Object.entries(attributes).find(([known]) => known.toLowerCase() === name.toLowerCase())?.[1];
    if (!attribute) throw invalidFilter(`Filtering on '${name}' is not supported; these attributes are: ${Object.keys(attributes).join(", ")}`);
    for (const expression of expressions) {
      const negated = expression[0].toLowerCase() === "not" && expression.length === 3;
      const [comparator, operand] = (negated ? expression.slice(1) : expression) as [string, unknown];
      const condition = typeof attribute === "function" ? attribute(comparator.toLowerCase(), operand) : comparison(name, attribute, comparator.toLowerCase(), operand);
      conditions.push(negated ? not(condition) : condition);
    }
  }
  return conditions;
}

/** The SQL condition for a parsed filter (undefined: no filter, everything matches). */
export function filterCondition(filter: ReadonlyArray<unknown> | undefined, attributes: FilterAttributes): SQL | undefined {
  if (!filter || filter.length === 0) return undefined;
  const branches = filter.map((branch) => {
    if (branch === null || typeof branch !== "object") throw invalidFilter("The filter could not be read");
    const conditions = branchConditions(branch as Record<string, unknown>, attributes);
    return conditions.length === 1 ? conditions[0]! : and(...conditions)!;
  });
  return branches.length === 1 ? branches[0] : or(...branches);
}
