CREATE TABLE "user_post_counts" (
	"user_id" integer NOT NULL,
	"space_id" integer NOT NULL,
	"questions" integer DEFAULT 0 NOT NULL,
	"answers" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "user_post_counts_user_id_space_id_pk" PRIMARY KEY("user_id","space_id")
);
--> statement-breakpoint
DROP INDEX "reputation_events_user_time_idx";--> statement-breakpoint
ALTER TABLE "user_post_counts" ADD CONSTRAINT "user_post_counts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_post_counts" ADD CONSTRAINT "user_post_counts_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reputation_events_user_time_idx" ON "reputation_events" USING btree ("user_id","created_at","space_id","delta");--> statement-breakpoint
-- user_post_counts: a person's live questions and answers per space, for their profile. An answer
-- counts while it and its question are live. Triggers on posts keep it exact for every writer (the
-- app, imports, a claim that moves a placeholder's posts, the generator's COPY). They run once per
-- statement over its changed rows (transition tables), so a bulk load is one grouped upsert per
-- statement; rows are upserted in key order, so concurrent writers lock them in the same order.
-- Inserts: each new live post counts for its author in its space.
CREATE FUNCTION "user_post_counts_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "user_post_counts" AS c ("user_id", "space_id", "questions", "answers")
  SELECT n."author_id", n."space_id", count(*) FILTER (WHERE n."type" = 'question'), count(*) FILTER (WHERE n."type" = 'answer')
    FROM "new_posts" n
   WHERE n."deleted_at" IS NULL
     AND NOT EXISTS (SELECT 1 FROM "posts" q WHERE q."id" = n."parent_id" AND q."deleted_at" IS NOT NULL)
   GROUP BY 1, 2
   ORDER BY 1, 2
  ON CONFLICT ("user_id", "space_id") DO UPDATE SET "questions" = c."questions" + excluded."questions", "answers" = c."answers" + excluded."answers";
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "user_post_counts_insert" AFTER INSERT ON "posts"
  REFERENCING NEW TABLE AS "new_posts" FOR EACH STATEMENT EXECUTE FUNCTION "user_post_counts_insert"();--> statement-breakpoint
-- Updates: nothing to do unless a post was deleted or restored, or changed author, space or
-- question (a vote or a view returns at the first check). Otherwise the changed posts leave what
-- they counted for before and count for what they are now; and the live answers of a question
-- deleted or restored here, unchanged themselves, leave or rejoin their authors' counts. A post's
-- state before the statement is its old row; its question's, the question's old row when the same
-- statement changed the question, else the question as it is.
CREATE FUNCTION "user_post_counts_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM "old_posts" o JOIN "new_posts" n ON n."id" = o."id"
     WHERE (o."deleted_at" IS NULL) <> (n."deleted_at" IS NULL) OR o."author_id" <> n."author_id" OR o."space_id" <> n."space_id"
        OR o."parent_id" IS DISTINCT FROM n."parent_id" OR o."type" <> n."type"
  ) THEN
    RETURN NULL;
  END IF;
  INSERT INTO "user_post_counts" AS c ("user_id", "space_id", "questions", "answers")
  SELECT d."user_id", d."space_id", sum(d."questions"), sum(d."answers")
    FROM (
      SELECT o."author_id" AS "user_id", o."space_id", -(o."type" = 'question')::int AS "questions", -(o."type" = 'answer')::int AS "answers"
        FROM "old_posts" o
       WHERE o."deleted_at" IS NULL
         AND NOT coalesce(
           (SELECT oq."deleted_at" IS NOT NULL FROM "old_posts" oq WHERE oq."id" = o."parent_id"),
           (SELECT q."deleted_at" IS NOT NULL FROM "posts" q WHERE q."id" = o."parent_id"),
           false)
      UNION ALL
      SELECT n."author_id", n."space_id", (n."type" = 'question')::int, (n."type" = 'answer')::int
        FROM "new_posts" n
       WHERE n."deleted_at" IS NULL
         AND NOT EXISTS (SELECT 1 FROM "posts" q WHERE q."id" = n."parent_id" AND q."deleted_at" IS NOT NULL)
      UNION ALL
      SELECT a."author_id", a."space_id", 0, CASE WHEN nq."deleted_at" IS NULL THEN 1 ELSE -1 END
        FROM "old_posts" oq
        JOIN "posts" nq ON nq."id" = oq."id" AND (nq."deleted_at" IS NULL) <> (oq."deleted_at" IS NULL)
        JOIN "posts" a ON a."parent_id" = oq."id" AND a."deleted_at" IS NULL
       WHERE oq."type" = 'question'
         AND NOT EXISTS (SELECT 1 FROM "new_posts" x WHERE x."id" = a."id")
    ) d
   GROUP BY 1, 2
  HAVING sum(d."questions") <> 0 OR sum(d."answers") <> 0
   ORDER BY 1, 2
  ON CONFLICT ("user_id", "space_id") DO UPDATE SET "questions" = c."questions" + excluded."questions", "answers" = c."answers" + excluded."answers";
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "user_post_counts_update" AFTER UPDATE ON "posts"
  REFERENCING OLD TABLE AS "old_posts" NEW TABLE AS "new_posts" FOR EACH STATEMENT EXECUTE FUNCTION "user_post_counts_update"();--> statement-breakpoint
-- Deletes for good (only a space's or an item's removal cascades to posts): the counts of the
-- authors and spaces concerned are counted afresh, which stays right whichever order a question
-- and its cascaded answers go in. A space being removed takes its rows with it.
CREATE FUNCTION "user_post_counts_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "user_post_counts" AS c ("user_id", "space_id", "questions", "answers")
  SELECT k."author_id", k."space_id",
         (SELECT count(*) FROM "posts" p WHERE p."author_id" = k."author_id" AND p."space_id" = k."space_id" AND p."type" = 'question' AND p."deleted_at" IS NULL),
         (SELECT count(*) FROM "posts" p WHERE p."author_id" = k."author_id" AND p."space_id" = k."space_id" AND p."type" = 'answer' AND p."deleted_at" IS NULL
             AND NOT EXISTS (SELECT 1 FROM "posts" q WHERE q."id" = p."parent_id" AND q."deleted_at" IS NOT NULL))
    FROM (SELECT DISTINCT "author_id", "space_id" FROM "old_posts") k
   WHERE EXISTS (SELECT 1 FROM "spaces" s WHERE s."id" = k."space_id") AND EXISTS (SELECT 1 FROM "users" u WHERE u."id" = k."author_id")
   ORDER BY 1, 2
  ON CONFLICT ("user_id", "space_id") DO UPDATE SET "questions" = excluded."questions", "answers" = excluded."answers";
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "user_post_counts_delete" AFTER DELETE ON "posts"
  REFERENCING OLD TABLE AS "old_posts" FOR EACH STATEMENT EXECUTE FUNCTION "user_post_counts_delete"();--> statement-breakpoint
CREATE FUNCTION "user_post_counts_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "user_post_counts";
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "user_post_counts_truncate" AFTER TRUNCATE ON "posts" FOR EACH STATEMENT EXECUTE FUNCTION "user_post_counts_truncate"();--> statement-breakpoint
-- The counts of what is already there.
INSERT INTO "user_post_counts" ("user_id", "space_id", "questions", "answers")
SELECT p."author_id", p."space_id", count(*) FILTER (WHERE p."type" = 'question'), count(*) FILTER (WHERE p."type" = 'answer')
  FROM "posts" p
  LEFT JOIN "posts" q ON q."id" = p."parent_id"
 WHERE p."deleted_at" IS NULL AND q."deleted_at" IS NULL
 GROUP BY 1, 2;
