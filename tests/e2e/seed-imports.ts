import { createDb } from "../../db/client.server.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "../factories/index.ts";
import { createImportedProfile, importReputation, markImported } from "../factories/imports.ts";

/**
 * What an importer would have left for the end-to-end tests of claiming and attribution: an
 * imported profile ("hopsfan", beer.stackexchange.com, 1,234 reputation) with a question and an
 * answer in a restricted space of its own (so only admins meet it in other suites), and the
 * employee whose account it belongs to (Hazel Brewster, who has written nothing yet).
 */
export const IMPORT_E2E = {
  space: "brewing-archive",
  profileName: "hopsfan",
  accountName: "Hazel Brewster",
  accountEmail: "hazel.brewster@northwind.example",
  questionTitle: "How long should an imperial stout condition in the bottle?",
  sourceQuestionId: 1201,
  sourceAnswerId: 1202,
} as const;

export async function seedImportsForE2e(databaseUrl: string): Promise<void> {
  const db = createDb(databaseUrl, { max: 2 });
  try {
    const { user: placeholder } = await createImportedProfile(db, { name: IMPORT_E2E.profileName, sourceId: 1234, reputation: 1234 });
    await createUser(db, { name: IMPORT_E2E.accountName, email: IMPORT_E2E.accountEmail, department: "Operations", title: "Brewer" });
    // The importer makes its people members of the space it fills.
    const space = await createSpace(db, { slug: IMPORT_E2E.space, name: "Brewing archive", members: [placeholder] }, "restricted");
    const questionId = await createQuestion(db, {
      author: placeholder,
      space,
      title: IMPORT_E2E.questionTitle,
      body: "Brewed a 10% imperial stout last month. How long before the bottles are ready to drink?",
      tags: ["stout"],
    });
    await markImported(db, questionId, { sourceId: IMPORT_E2E.sourceQuestionId, author: IMPORT_E2E.profileName });
    const answerId = await createAnswer(db, { author: placeholder, questionId, body: "Give it at least three months at cellar temperature; big stouts keep improving for a year." });
    await markImported(db, answerId, { sourceId: IMPORT_E2E.sourceAnswerId, author: IMPORT_E2E.profileName, license: "CC BY-SA 4.0" });
    await importReputation(db, { userId: placeholder.id, delta: 1234 });
  } finally {
    await db.close();
  }
}
