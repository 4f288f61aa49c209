import type { QuestionHit, PersonHit } from "#app/features/search/search-params.ts";

/** What `GET /api/search?q=` answers (app/routes/api/search.ts), read by the header search box. */
export type InstantResults =
  | {
      status: "ok";
      questions: Array<Pick<QuestionHit, "id" | "url" | "title" | "space" | "answerCount" | "status">>;
      people: Array<Pick<PersonHit, "id" | "name" | "title" | "department">>;
    }
  | { status: "unavailable" };
