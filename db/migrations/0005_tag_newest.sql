ALTER TABLE "question_tags" ADD COLUMN "question_created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
UPDATE "question_tags" SET "question_created_at" = "posts"."created_at" FROM "posts" WHERE "posts"."id" = "question_tags"."post_id";--> statement-breakpoint
CREATE INDEX "question_tags_tag_created_idx" ON "question_tags" USING btree ("tag_id","question_created_at" DESC NULLS FIRST,"post_id" DESC NULLS FIRST);--> statement-breakpoint
-- question_tags.question_created_at is a copy of the question's created_at: every writer (the app,
-- the importer, the generator's COPY) gets it from this trigger, and a changed time follows.
CREATE FUNCTION "question_tags_copy_created_at"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT "created_at" INTO NEW."question_created_at" FROM "posts" WHERE "id" = NEW."post_id";
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "question_tags_copy_created_at" BEFORE INSERT OR UPDATE OF "post_id" ON "question_tags"
  FOR EACH ROW EXECUTE FUNCTION "question_tags_copy_created_at"();--> statement-breakpoint
CREATE FUNCTION "posts_created_at_to_question_tags"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "question_tags" SET "question_created_at" = NEW."created_at" WHERE "post_id" = NEW."id";
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "posts_created_at_to_question_tags" AFTER UPDATE OF "created_at" ON "posts"
  FOR EACH ROW WHEN (OLD."created_at" IS DISTINCT FROM NEW."created_at") EXECUTE FUNCTION "posts_created_at_to_question_tags"();
