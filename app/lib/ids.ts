/** True for a value that can be a row id (a positive Postgres integer): anything else is a 404, never a query error. */
export function isRowId(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0 && value <= 2_147_483_647;
}
