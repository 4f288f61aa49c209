import { expect, test } from "vitest";
import { IdSchema, idField, idParam, isRowId } from "./ids.ts";

test("an id is 1 to 10 digits and a positive int4", () => {
  expect(idParam("42")).toBe(42);
  expect(idParam("0042")).toBe(42);
  expect(idParam("2147483647")).toBe(2_147_483_647);
  for (const bad of ["0", "2147483648", "9999999999", "12345678901", "-1", "1.5", "1e3", " 1", "0x10", "", "abc"]) expect(idParam(bad)).toBeNaN();
  for (const bad of [undefined, null, 42, ["1"]]) expect(idParam(bad)).toBeNaN();
  expect(isRowId(1)).toBe(true);
  expect(isRowId(0)).toBe(false);
  expect(isRowId(Number.NaN)).toBe(false);
});

test("the form schema follows the same rule", () => {
  expect(IdSchema.parse(" 17 ")).toBe(17);
  expect(IdSchema.parse(17)).toBe(17);
  expect(IdSchema.safeParse(1.5).success).toBe(false);
  expect(IdSchema.safeParse("0").success).toBe(false);
  expect(IdSchema.safeParse("2147483648").success).toBe(false);
  expect(IdSchema.safeParse(undefined).success).toBe(false);
  const account = idField("Choose the account again");
  expect(account.safeParse("x").error?.issues[0]?.message).toBe("Choose the account again");
  expect(account.safeParse(undefined).error?.issues[0]?.message).toBe("Choose the account again");
});
