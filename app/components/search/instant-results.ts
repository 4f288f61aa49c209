import type { IdeaHit, PersonHit, QuestionHit } from "#app/features/search/search-params.ts";

/** What `GET /api/search?q=` answers (app/routes/api/search.ts), read by the header search box. */
export type InstantResults =
  | {
      status: "ok";
      questions: Array<Pick<QuestionHit, "id" | "url" | "title" | "space" | "answerCount" | "status">>;
      ideas: Array<Pick<IdeaHit, "id" | "url" | "title" | "space" | "status" | "voteCount"> & { campaign: { title: string } }>;
      people: Array<Pick<PersonHit, "id" | "name" | "title" | "department">>;
    }
  | { status: "unavailable" };
