/**
 * The constraint a PostgreSQL unique violation (23505) names, looking through drizzle's error
 * wrapper; null when the error is something else. Lets a feature turn a lost race on a unique
 * index into a field message instead of a 500.
 */
export function uniqueViolation(error: unknown): string | null {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const { code, constraint_name } = e as { code?: unknown; constraint_name?: unknown };
    if (code === "23505") return typeof constraint_name === "string" ? constraint_name : "";
  }
  return null;
}
