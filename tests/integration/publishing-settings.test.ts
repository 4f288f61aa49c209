import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { confidentialTerms as termsTable, siteSettings } from "#db/schema/index.ts";
import { ANONYMOUS_EMAIL } from "#app/features/anonymous/stand-in.server.ts";
import { scanText } from "#app/features/publishing/scan.ts";
import { DEFAULT_PUBLISHING_SETTINGS, publishingSettings, savePublishingSettings } from "#app/features/publishing/settings.server.ts";
import { addConfidentialTerm, confidentialTerms, removeConfidentialTerm, scanContext } from "#app/features/publishing/terms.server.ts";
import { ForbiddenError, NotFoundError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { rejects } from "#tests/helpers.ts";
import { createUser } from "#tests/factories/index.ts";

/**
 * The confidentiality scan's settings and term lists: admins only, bad entries answered on their
 * field with nothing stored, duplicates whatever their case; and the context a draft is scanned
 * with, which names every employee but the authors who agreed to be named.
 */
const t = setupTestDb();

async function storedSettings() {
  const [row] = await t.db.select({ value: siteSettings.value }).from(siteSettings).where(eq(siteSettings.key, "publishing"));
  return row?.value ?? null;
}

async function nonAdmins() {
  return [
    await createUser(t.db),
    await createUser(t.db, {}, "hr"),
    await createUser(t.db, {}, "moderator"),
    await createUser(t.db, {}, "admin", "deactivated"),
    await createUser(t.db, {}, "admin", "customer"),
  ];
}

describe("settings", () => {
  test("the defaults until an admin saves; the textarea's lines are trimmed, lower-cased and kept once", async () => {
    expect(await publishingSettings(t.db)).toEqual(DEFAULT_PUBLISHING_SETTINGS);
    const admin = await createUser(t.db, {}, "admin");
    const saved = await savePublishingSettings(t.db, admin, {
      internalHosts: "  *.CORP \r\n\r\nintranet.northwind.com\n*.corp\nlocalhost",
      internalIpRanges: "203.0.113.0/24\n2001:DB8:42::/48\n198.51.100.7",
    });
    expect(saved).toEqual({ internalHosts: ["*.corp", "intranet.northwind.com", "localhost"], internalIpRanges: ["203.0.113.0/24", "2001:db8:42::/48", "198.51.100.7"] });
    expect(await publishingSettings(t.db)).toEqual(saved);
    // An admin may also clear a list: none is none, not the defaults.
    await savePublishingSettings(t.db, admin, { internalHosts: [], internalIpRanges: "" });
    expect(await publishingSettings(t.db)).toEqual({ internalHosts: [], internalIpRanges: [] });
  });

  test("a bad entry is a field error naming it, and nothing is stored", async () => {
    const admin = await createUser(t.db, {}, "admin");
    await savePublishingSettings(t.db, admin, { internalHosts: "*.corp", internalIpRanges: "" });
    const before = await storedSettings();
    const error = await rejects(savePublishingSettings(t.db, admin, { internalHosts: "*.corp\nhttps://wiki.corp/x", internalIpRanges: "10.0.0/8" }));
    expect(error.fieldErrors.internalHosts).toContain("“https://wiki.corp/x” is not a host pattern");
    expect(error.fieldErrors.internalIpRanges).toContain("“10.0.0/8” is not an IP range");
    const wide = await rejects(savePublishingSettings(t.db, admin, { internalHosts: "*.corp", internalIpRanges: "0.0.0.0/0" }));
    expect(wide.fieldErrors.internalIpRanges).toContain("wider than a /8");
    const many = await rejects(savePublishingSettings(t.db, admin, { internalHosts: Array.from({ length: 201 }, (_, i) => `h${i}.corp`), internalIpRanges: "" }));
    expect(many.fieldErrors.internalHosts).toBe("At most 200 host patterns.");
    expect(await storedSettings()).toEqual(before);
  });

  test("only active admins change them", async () => {
    const before = await storedSettings();
    for (const actor of await nonAdmins()) {
      await expect(savePublishingSettings(t.db, actor, { internalHosts: "*.evil", internalIpRanges: "" })).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect(await storedSettings()).toEqual(before);
  });

  test("an unreadable stored value falls back to the defaults field by field", async () => {
    await t.db
      .insert(siteSettings)
      .values({ key: "publishing", value: { internalHosts: ["not a pattern"], internalIpRanges: ["10.9.0.0/16"] } })
      .onConflictDoUpdate({ target: siteSettings.key, set: { value: { internalHosts: ["not a pattern"], internalIpRanges: ["10.9.0.0/16"] } } });
    expect(await publishingSettings(t.db)).toEqual({ internalHosts: DEFAULT_PUBLISHING_SETTINGS.internalHosts, internalIpRanges: ["10.9.0.0/16"] });
  });
});

describe("term lists", () => {
  test("an admin adds, lists and removes terms; spaces are tidied", async () => {
    const admin = await createUser(t.db, { name: "Ada Admin" }, "admin");
    const acme = await addConfidentialTerm(t.db, admin, "customer", "  Acme   Corp ");
    await addConfidentialTerm(t.db, admin, "codename", "Bluebird");
    await addConfidentialTerm(t.db, admin, "customer", "AT&T");
    // The same name may be on both lists.
    await addConfidentialTerm(t.db, admin, "codename", "Acme Corp");
    expect((await confidentialTerms(t.db, "customer")).map((term) => term.term)).toEqual(["Acme Corp", "AT&T"]);
    const all = await confidentialTerms(t.db);
    expect(all.map((term) => [term.kind, term.term])).toEqual([
      ["customer", "Acme Corp"],
      ["customer", "AT&T"],
      ["codename", "Acme Corp"],
      ["codename", "Bluebird"],
    ]);
    expect(all[0]!.createdBy).toEqual({ id: admin.id, name: "Ada Admin" });
    await removeConfidentialTerm(t.db, admin, acme.id);
    expect((await confidentialTerms(t.db, "customer")).map((term) => term.term)).toEqual(["AT&T"]);
    await expect(removeConfidentialTerm(t.db, admin, acme.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(removeConfidentialTerm(t.db, admin, Number.NaN)).rejects.toBeInstanceOf(NotFoundError);
  });

  test("a duplicate whatever its case, a bad length or a bad list is a field error, with no row written", async () => {
    const admin = await createUser(t.db, {}, "admin");
    await addConfidentialTerm(t.db, admin, "customer", "Globex Corporation");
    const count = async () => (await t.db.select().from(termsTable)).length;
    const before = await count();
    expect((await rejects(addConfidentialTerm(t.db, admin, "customer", "globex  CORPORATION"))).fieldErrors.term).toBe("“Globex Corporation” is already on the list of customer names.");
    expect((await rejects(addConfidentialTerm(t.db, admin, "customer", " x "))).fieldErrors.term).toBe("A name is at least 2 characters.");
    expect((await rejects(addConfidentialTerm(t.db, admin, "customer", "y".repeat(101)))).fieldErrors.term).toBe("A name is at most 100 characters.");
    expect((await rejects(addConfidentialTerm(t.db, admin, "customer", "--"))).fieldErrors.term).toBe("A name needs a letter or a digit.");
    expect((await rejects(addConfidentialTerm(t.db, admin, "supplier", "Umbrella"))).fieldErrors.kind).toBeDefined();
    expect(await count()).toBe(before);
  });

  test("the same term added twice at once makes one row; the other admin gets the field error", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const results = await Promise.allSettled([addConfidentialTerm(t.db, admin, "codename", "Nightjar"), addConfidentialTerm(t.db, admin, "codename", "NIGHTJAR")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failed = results.find((r) => r.status === "rejected");
    expect((failed?.reason as { fieldErrors?: { term?: string } }).fieldErrors?.term).toMatch(/already on the list of project code names/);
    expect((await confidentialTerms(t.db, "codename")).filter((term) => term.term.toLowerCase() === "nightjar")).toHaveLength(1);
  });

  test("only active admins add or remove terms", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const kept = await addConfidentialTerm(t.db, admin, "customer", "Initech");
    for (const actor of await nonAdmins()) {
      await expect(addConfidentialTerm(t.db, actor, "customer", "Umbrella")).rejects.toBeInstanceOf(ForbiddenError);
      await expect(removeConfidentialTerm(t.db, actor, kept.id)).rejects.toBeInstanceOf(ForbiddenError);
    }
    const customers = (await confidentialTerms(t.db, "customer")).map((term) => term.term);
    expect(customers).toContain("Initech");
    expect(customers).not.toContain("Umbrella");
  });
});

test("the scan context names every employee but the named authors, with the settings and both lists", async () => {
  const admin = await createUser(t.db, {}, "admin");
  await savePublishingSettings(t.db, admin, { internalHosts: "*.corp\nintranet.northwind.com", internalIpRanges: "203.0.113.0/24" });
  await addConfidentialTerm(t.db, admin, "customer", "Hooli");
  await addConfidentialTerm(t.db, admin, "codename", "Project Pied Piper");
  const named = await createUser(t.db, { name: "Sofia Named", email: "sofia.named@northwind.example" });
  const unnamed = await createUser(t.db, { name: "Kenji Unnamed", email: "kenji.unnamed@northwind.example" });
  const left = await createUser(t.db, { name: "Lukas Departed" }, "deactivated");
  const customer = await createUser(t.db, { name: "Carla Customer" }, "customer");
  await createUser(t.db, { name: "Anonymous Standin", email: ANONYMOUS_EMAIL }, "deactivated");

  const context = await scanContext(t.db, { namedUserIds: [named.id] });
  const names = context.people.map((p) => p.name);
  expect(names).toEqual(expect.arrayContaining([unnamed.name, left.name]));
  expect(names).not.toContain(named.name);
  expect(names).not.toContain(customer.name);
  expect(names).not.toContain("Anonymous Standin");
  expect(context.people.find((p) => p.name === unnamed.name)?.handle).toBe("kenji.unnamed");
  expect(context.internalHosts).toEqual(expect.arrayContaining(["*.corp", "intranet.northwind.com"]));
  expect(context.internalIpRanges).toEqual(["203.0.113.0/24"]);
  expect(context.customers).toContain("Hooli");
  expect(context.codenames).toContain("Project Pied Piper");

  const text = "Sofia Named and Kenji Unnamed (@kenji.unnamed) showed Hooli Project Pied Piper on build.corp at 203.0.113.9.";
  expect(scanText(text, context).map((f) => [f.detector, f.match])).toEqual([
    ["person", "Kenji Unnamed"],
    ["person", "@kenji.unnamed"],
    ["customer", "Hooli"],
    ["codename", "Project Pied Piper"],
    ["internal_host", "build.corp"],
    ["ip", "203.0.113.9"],
  ]);

  // The name list is kept a minute; who is named is decided on every call.
  const everyone = await scanContext(t.db, { namedUserIds: [] });
  expect(everyone.people.map((p) => p.name)).toContain(named.name);
});
