import fc from "fast-check";

/**
 * What the fuzzer sends (issue 23, "Bad input everywhere"): strings people never type but clients
 * and attackers do, numbers where text is wanted and the reverse, repeated keys, missing fields,
 * bodies near and over the 1 MB limit, and bodies that are not what their Content-Type says.
 */

/** The seed every fuzz file uses unless FUZZ_SEED is set; printed so that a failure reproduces. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20231207);

/** Strings at the edges of Unicode and of what the forms expect. */
export const EDGE_STRINGS: readonly string[] = [
  "",
  " ",
  "\t\r\n",
  "\0",
  "a\0b",
  "\uD800", // a lone high surrogate
  "x\uDFFFy", // a lone low surrogate
  "\u202Eevil\u202C", // right-to-left override
  "\u200F\u200E\u061C", // RTL and LTR marks
  "e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301", // stacked combining marks
  "👩‍👩‍👧‍👦🏳️‍🌈", // emoji joined with ZWJ
  "\uFEFF\u200B\u2060", // invisible: BOM, zero-width space, word joiner
  "\uFFFF\uFFFE",
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
  "%00%zz%",
  "../../etc/passwd",
  "'; drop table users; --",
  "<script>alert(1)</script>",
  "{{7*7}}${7*7}",
  "-1",
  "0",
  "1.5",
  "1e309",
  "NaN",
  "99999999999999999999",
  "2147483648",
  "-2147483649",
  "true",
  "null",
  "[]",
  "{}",
  "2026-02-30",
  "9999-12-31T23:59:59Z",
  "a".repeat(10_000), // an overlong line
  "#".repeat(300) + " heading",
  "> ".repeat(200) + "quote", // deep markdown nesting
  "- ".repeat(200) + "list",
  "[".repeat(500) + "]".repeat(500),
  "*".repeat(1000),
];

/** One value of a form field: an edge string, a random Unicode string, or a number. */
export const fieldValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EDGE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
);

/** A field's values: usually one, sometimes the key repeated (an array where one value is wanted). */
export const fieldValues: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 4, arbitrary: fieldValue.map((v) => [v]) },
  { weight: 1, arbitrary: fc.array(fieldValue, { minLength: 2, maxLength: 4 }) },
);

/** How a body is sent: the form's own encoding, or something else under the same or a wrong Content-Type. */
export type BodyShape = "urlencoded" | "multipart" | "json-as-form" | "broken-percent" | "near-limit" | "over-limit" | "text-plain" | "none";

export const bodyShape: fc.Arbitrary<BodyShape> = fc.oneof(
  { weight: 12, arbitrary: fc.constant<BodyShape>("urlencoded") },
  { weight: 3, arbitrary: fc.constant<BodyShape>("multipart") },
  { weight: 1, arbitrary: fc.constant<BodyShape>("json-as-form") },
  { weight: 1, arbitrary: fc.constant<BodyShape>("broken-percent") },
  { weight: 1, arbitrary: fc.constant<BodyShape>("text-plain") },
  { weight: 1, arbitrary: fc.constant<BodyShape>("none") },
  { weight: 1, arbitrary: fc.constant<BodyShape>("near-limit") },
  { weight: 1, arbitrary: fc.constant<BodyShape>("over-limit") },
);

/** Ids that are no row's: zero, negative, past PostgreSQL's integer, not a number, percent-encoded oddities. */
export const BAD_IDS: readonly string[] = [
  "0",
  "-1",
  "2147483647",
  "2147483648",
  "99999999999999999999",
  "1.5",
  "1e3",
  "abc",
  "%F0%9F%98%80",
  "%E2%80%AE1",
  "%20",
  "0x10",
  "%C0%AF",
  "..%2F",
];

/** A form's fields as [name, value] pairs: a random subset of the known names (missing fields), each with its values, plus now and then a name no form has. */
export function formArbitrary(fields: readonly string[], intents: readonly string[]): fc.Arbitrary<Array<[string, string]>> {
  const known = fields.filter((f) => f !== "intent");
  const named = known.length > 0 ? fc.subarray(known) : fc.constant<string[]>([]);
  const intent =
    intents.length > 0 ? fc.option(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...intents) }, { weight: 1, arbitrary: fieldValue }), { freq: 6 }) : fc.option(fieldValue, { freq: 3 });
  return fc
    .tuple(named, fc.array(fieldValues, { minLength: known.length, maxLength: known.length }), intent, fc.option(fc.tuple(fc.string({ maxLength: 12 }), fieldValue), { freq: 4 }))
    .map(([names, values, intentValue, extra]) => {
      const pairs: Array<[string, string]> = [];
      if (intentValue !== null) pairs.push(["intent", intentValue]);
      for (const name of names) for (const v of values[known.indexOf(name)]!) pairs.push([name, v]);
      if (extra) pairs.push(extra);
      return pairs;
    });
}

/** Arbitrary JSON: what a JSON body or a tool's argument may be, well or badly typed. */
export const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<unknown>(...EDGE_STRINGS) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 2 ** 31, Number.MAX_SAFE_INTEGER, [], {}, [1, "a"], { a: { b: { c: [] } } }) },
);
