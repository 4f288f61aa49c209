/**
 * The bench's data set: `npm run data:generate`'s company (db/generate): people in departments,
 * open and restricted spaces, questions, answers, votes, comments, revisions, follows and
 * notifications, idea campaigns with their ideas, votes, owners, timelines and comments,
 * deterministic from its default seed, vacuumed and analyzed when it returns.
 */
import { generateCompany, type GenerateResult } from "#db/generate/index.ts";

/** What the generator reports (counts, time, whom to sign in as), and which generator made it. */
export type DataSet = GenerateResult & { source: string };

export async function generateDataSet(databaseUrl: string, questions: number, log: (line: string) => void): Promise<DataSet> {
  return { source: "db/generate (npm run data:generate)", ...(await generateCompany(databaseUrl, { questions, log })) };
}
