/**
 * The bench's data set: `npm run data:generate`'s company (db/generate): people in departments,
 * open and restricted spaces, questions, answers, votes, comments, revisions, follows and
 * notifications, deterministic from its default seed, vacuumed and analyzed when it returns.
 */
import { generateCompany } from "#db/generate/index.ts";

export type DataSet = {
  /** Which generator made it. */
  source: string;
  users: number;
  questions: number;
  answers: number;
  votes: number;
  comments: number;
  tags: number;
  spaces: number;
  /** Generating and loading, `vacuum analyze` included. */
  ms: number;
  /** A generated employee who sees most spaces, whom the bench signs in as. */
  signInEmail: string;
};

export async function generateDataSet(databaseUrl: string, questions: number, log: (line: string) => void): Promise<DataSet> {
  return { source: "db/generate (npm run data:generate)", ...(await generateCompany(databaseUrl, { questions, log })) };
}
