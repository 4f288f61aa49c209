import type { ArticleHit, IdeaHit, PageHit, PersonHit, QuestionHit } from "#app/features/search/search-params.ts";

/** What `GET /api/search?q=` answers (app/routes/api/search.ts), read by the header search box. */
export type InstantResults =
  | {
      status: "ok";
      questions: Array<Pick<QuestionHit, "id" | "url" | "title" | "space" | "answerCount" | "status">>;
      ideas: Array<Pick<IdeaHit, "id" | "url" | "title" | "space" | "status" | "voteCount"> & { campaign: { title: string } }>;
      pages: Array<Pick<PageHit, "id" | "url" | "title" | "space" | "verified" | "reviewDueAt">>;
      articles: Array<Pick<ArticleHit, "id" | "url" | "title" | "space" | "articleType" | "author">>;
      people: Array<Pick<PersonHit, "id" | "name" | "title" | "department">>;
    }
  | { status: "unavailable" };
