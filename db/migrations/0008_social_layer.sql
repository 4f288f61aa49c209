-- The social layer (docs/decisions/009-social-layer.md). Every content row owns an item; comments,
-- revisions, follows, votes, flags, notifications and reputation events point at items. The
-- statements run in one transaction: new tables and nullable columns first, then every existing
-- row is carried over, then the old tables and columns go and the constraints are tightened.
CREATE TYPE "public"."item_kind" AS ENUM('question', 'answer', 'idea');--> statement-breakpoint
CREATE TABLE "items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" "item_kind" NOT NULL,
	"space_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "revisions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "revisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"item_id" integer NOT NULL,
	"number" integer NOT NULL,
	"kind" "revision_kind" NOT NULL,
	"editor_id" integer NOT NULL,
	"title" text,
	"body" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"category" text DEFAULT '' NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"rolled_back_to" integer,
	"redacted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "votes" (
	"item_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"value" smallint NOT NULL,
	"author_event_id" integer,
	"voter_event_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "votes_item_id_user_id_pk" PRIMARY KEY("item_id","user_id"),
	CONSTRAINT "votes_value" CHECK ("votes"."value" in (-1, 1))
);
--> statement-breakpoint
CREATE TABLE "follows" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "follows_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" integer NOT NULL,
	"item_id" integer,
	"tag_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "follows_one_target" CHECK (("follows"."item_id" is null) <> ("follows"."tag_id" is null))
);
--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "item_id" integer;--> statement-breakpoint
ALTER TABLE "ideas" ADD COLUMN "item_id" integer;--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "item_id" integer;--> statement-breakpoint
ALTER TABLE "flags" ADD COLUMN "item_id" integer;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "item_id" integer;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "subject_item_id" integer;--> statement-breakpoint
ALTER TABLE "reputation_events" ADD COLUMN "item_id" integer;--> statement-breakpoint

-- Carry every row over. Temporary columns remember where each new row came from.
ALTER TABLE "items" ADD COLUMN "_post_id" integer, ADD COLUMN "_idea_id" integer;--> statement-breakpoint
INSERT INTO "items" ("kind", "space_id", "created_at", "_post_id") SELECT "type"::text::"item_kind", "space_id", "created_at", "id" FROM "posts" ORDER BY "id";--> statement-breakpoint
INSERT INTO "items" ("kind", "space_id", "created_at", "_idea_id") SELECT 'idea', "space_id", "created_at", "id" FROM "ideas" ORDER BY "id";--> statement-breakpoint
CREATE INDEX "items_tmp_post" ON "items" ("_post_id");--> statement-breakpoint
CREATE INDEX "items_tmp_idea" ON "items" ("_idea_id");--> statement-breakpoint
UPDATE "posts" p SET "item_id" = i."id" FROM "items" i WHERE i."_post_id" = p."id";--> statement-breakpoint
UPDATE "ideas" d SET "item_id" = i."id" FROM "items" i WHERE i."_idea_id" = d."id";--> statement-breakpoint

UPDATE "comments" c SET "item_id" = p."item_id" FROM "posts" p WHERE p."id" = c."post_id";--> statement-breakpoint
ALTER TABLE "comments" DROP CONSTRAINT "comments_post_id_posts_id_fk";--> statement-breakpoint
DROP INDEX "comments_post_idx";--> statement-breakpoint
ALTER TABLE "comments" DROP COLUMN "post_id";--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "_idea_comment_id" integer;--> statement-breakpoint
INSERT INTO "comments" ("item_id", "space_id", "author_id", "body", "body_html", "deleted_at", "submission_key", "created_at", "updated_at", "_idea_comment_id")
	SELECT d."item_id", c."space_id", c."author_id", c."body", c."body_html", c."deleted_at", c."submission_key", c."created_at", c."created_at", c."id"
	FROM "idea_comments" c JOIN "ideas" d ON d."id" = c."idea_id" ORDER BY c."id";--> statement-breakpoint

ALTER TABLE "revisions" ADD COLUMN "_post_revision_id" integer, ADD COLUMN "_idea_revision_id" integer;--> statement-breakpoint
INSERT INTO "revisions" ("item_id", "number", "kind", "editor_id", "title", "body", "tags", "comment", "rolled_back_to", "redacted_at", "created_at", "_post_revision_id")
	SELECT p."item_id", r."number", r."kind", r."editor_id", r."title", r."body", r."tags", r."comment", r."rolled_back_to", r."redacted_at", r."created_at", r."id"
	FROM "post_revisions" r JOIN "posts" p ON p."id" = r."post_id" ORDER BY r."id";--> statement-breakpoint
INSERT INTO "revisions" ("item_id", "number", "kind", "editor_id", "title", "body", "tags", "category", "comment", "redacted_at", "created_at", "_idea_revision_id")
	SELECT d."item_id", r."number", CASE WHEN r."number" = 1 THEN 'create'::"revision_kind" ELSE 'edit'::"revision_kind" END, r."editor_id", r."title", r."body", r."tags", r."category", r."comment", r."redacted_at", r."created_at", r."id"
	FROM "idea_revisions" r JOIN "ideas" d ON d."id" = r."idea_id" ORDER BY r."id";--> statement-breakpoint
DROP INDEX "revision_redactions_revision_key";--> statement-breakpoint
UPDATE "revision_redactions" x SET "revision_id" = r."id" FROM "revisions" r
	WHERE (x."revision_kind" = 'post' AND r."_post_revision_id" = x."revision_id") OR (x."revision_kind" = 'idea' AND r."_idea_revision_id" = x."revision_id");--> statement-breakpoint

INSERT INTO "follows" ("user_id", "item_id", "created_at")
	SELECT f."user_id", p."item_id", f."created_at" FROM "question_follows" f JOIN "posts" p ON p."id" = f."post_id" ORDER BY f."created_at";--> statement-breakpoint
INSERT INTO "follows" ("user_id", "item_id", "created_at")
	SELECT f."user_id", d."item_id", f."created_at" FROM "idea_follows" f JOIN "ideas" d ON d."id" = f."idea_id" ORDER BY f."created_at";--> statement-breakpoint
INSERT INTO "follows" ("user_id", "tag_id", "created_at") SELECT "user_id", "tag_id", "created_at" FROM "tag_follows" ORDER BY "created_at";--> statement-breakpoint

INSERT INTO "votes" ("item_id", "user_id", "value", "author_event_id", "voter_event_id", "created_at", "updated_at")
	SELECT p."item_id", v."user_id", v."value", v."author_event_id", v."voter_event_id", v."created_at", v."updated_at" FROM "post_votes" v JOIN "posts" p ON p."id" = v."post_id";--> statement-breakpoint
INSERT INTO "votes" ("item_id", "user_id", "value", "created_at", "updated_at")
	SELECT d."item_id", v."user_id", 1, v."created_at", v."created_at" FROM "idea_votes" v JOIN "ideas" d ON d."id" = v."idea_id";--> statement-breakpoint

UPDATE "flags" f SET "item_id" = p."item_id" FROM "posts" p WHERE p."id" = f."post_id";--> statement-breakpoint

UPDATE "notifications" n SET "item_id" = p."item_id" FROM "posts" p WHERE p."id" = n."question_id";--> statement-breakpoint
UPDATE "notifications" n SET "item_id" = d."item_id" FROM "ideas" d WHERE d."id" = n."idea_id";--> statement-breakpoint
UPDATE "notifications" n SET "subject_item_id" = p."item_id" FROM "posts" p WHERE p."id" = n."post_id" AND n."post_id" IS DISTINCT FROM n."question_id";--> statement-breakpoint
UPDATE "notifications" n SET "comment_id" = c."id" FROM "comments" c WHERE c."_idea_comment_id" = n."idea_comment_id";--> statement-breakpoint

UPDATE "reputation_events" e SET "item_id" = p."item_id" FROM "posts" p WHERE p."id" = e."post_id";--> statement-breakpoint
UPDATE "reputation_events" e SET "item_id" = d."item_id" FROM "ideas" d WHERE d."id" = e."idea_id";--> statement-breakpoint

-- The old shapes go.
ALTER TABLE "items" DROP COLUMN "_post_id", DROP COLUMN "_idea_id";--> statement-breakpoint
ALTER TABLE "comments" DROP COLUMN "_idea_comment_id";--> statement-breakpoint
ALTER TABLE "revisions" DROP COLUMN "_post_revision_id", DROP COLUMN "_idea_revision_id";--> statement-breakpoint
DROP TABLE "post_revisions" CASCADE;--> statement-breakpoint
DROP TABLE "post_votes" CASCADE;--> statement-breakpoint
DROP TABLE "question_follows" CASCADE;--> statement-breakpoint
DROP TABLE "tag_follows" CASCADE;--> statement-breakpoint
DROP TABLE "idea_follows" CASCADE;--> statement-breakpoint
DROP TABLE "idea_revisions" CASCADE;--> statement-breakpoint
DROP TABLE "idea_votes" CASCADE;--> statement-breakpoint
ALTER TABLE "flags" DROP CONSTRAINT "flags_one_target";--> statement-breakpoint
DROP INDEX "flags_pending_post_reporter_key";--> statement-breakpoint
ALTER TABLE "flags" DROP COLUMN "post_id";--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_one_subject";--> statement-breakpoint
ALTER TABLE "notifications" DROP COLUMN "question_id";--> statement-breakpoint
ALTER TABLE "notifications" DROP COLUMN "idea_id";--> statement-breakpoint
ALTER TABLE "notifications" DROP COLUMN "post_id";--> statement-breakpoint
ALTER TABLE "notifications" DROP COLUMN "idea_comment_id";--> statement-breakpoint
DROP TABLE "idea_comments" CASCADE;--> statement-breakpoint
ALTER TABLE "reputation_events" DROP COLUMN "post_id";--> statement-breakpoint
ALTER TABLE "reputation_events" DROP COLUMN "idea_id";--> statement-breakpoint
ALTER TABLE "revision_redactions" DROP COLUMN "revision_kind";--> statement-breakpoint

-- Constraints on the new shape.
ALTER TABLE "posts" ALTER COLUMN "item_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "ideas" ALTER COLUMN "item_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "comments" ALTER COLUMN "item_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "item_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "ideas" ADD CONSTRAINT "ideas_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revisions" ADD CONSTRAINT "revisions_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revisions" ADD CONSTRAINT "revisions_editor_id_users_id_fk" FOREIGN KEY ("editor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revision_redactions" ADD CONSTRAINT "revision_redactions_revision_id_revisions_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."revisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follows" ADD CONSTRAINT "follows_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follows" ADD CONSTRAINT "follows_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follows" ADD CONSTRAINT "follows_tag_id_tags_id_fk" FOREIGN KEY ("tag_id") REFERENCES "public"."tags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flags" ADD CONSTRAINT "flags_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flags" ADD CONSTRAINT "flags_one_target" CHECK (("flags"."item_id" is null) <> ("flags"."comment_id" is null));--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_subject_item_id_items_id_fk" FOREIGN KEY ("subject_item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reputation_events" ADD CONSTRAINT "reputation_events_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "items_space_idx" ON "items" USING btree ("space_id");--> statement-breakpoint
CREATE UNIQUE INDEX "posts_item_key" ON "posts" USING btree ("item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ideas_item_key" ON "ideas" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "comments_item_idx" ON "comments" USING btree ("item_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "revisions_item_number_key" ON "revisions" USING btree ("item_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "revision_redactions_revision_key" ON "revision_redactions" USING btree ("revision_id");--> statement-breakpoint
CREATE INDEX "votes_user_idx" ON "votes" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "follows_user_item_key" ON "follows" USING btree ("user_id","item_id") WHERE "follows"."item_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "follows_user_tag_key" ON "follows" USING btree ("user_id","tag_id") WHERE "follows"."tag_id" is not null;--> statement-breakpoint
CREATE INDEX "follows_item_idx" ON "follows" USING btree ("item_id") WHERE "follows"."item_id" is not null;--> statement-breakpoint
CREATE INDEX "follows_tag_idx" ON "follows" USING btree ("tag_id") WHERE "follows"."tag_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "flags_pending_item_reporter_key" ON "flags" USING btree ("item_id","reporter_id") WHERE "flags"."status" = 'pending' and "flags"."item_id" is not null;--> statement-breakpoint
CREATE INDEX "reputation_events_item_idx" ON "reputation_events" USING btree ("item_id");--> statement-breakpoint

-- Every content table owns its item through these triggers, so no writer (the app, COPY in the
-- generator, the importer) can forget it. Before a row is inserted without an item it reserves
-- an item id; after it is really inserted (not for an INSERT that ends in ON CONFLICT DO NOTHING
-- or DO UPDATE, which must not leave an item behind) the item of its kind (the row's `type`, or
-- the trigger's argument) is made in its space. The content row's foreign key to its item is
-- checked at commit, after that. A row that moves space takes its item along; a row deleted for
-- good takes its item, and so its comments, votes, follows, revisions and notifications.
CREATE FUNCTION "content_item_reserve"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.item_id IS NULL THEN
		NEW.item_id := nextval('items_id_seq');
	END IF;
	RETURN NEW;
END $$;--> statement-breakpoint
CREATE FUNCTION "content_item_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	row_json jsonb;
BEGIN
	-- A writer that made the item itself (the generator's COPY) passed its id.
	IF EXISTS (SELECT 1 FROM items WHERE id = NEW.item_id) THEN
		RETURN NULL;
	END IF;
	row_json := to_jsonb(NEW);
	INSERT INTO items (id, kind, space_id, created_at) OVERRIDING SYSTEM VALUE
	VALUES (NEW.item_id, coalesce(TG_ARGV[0], row_json->>'type')::item_kind, (row_json->>'space_id')::integer, coalesce((row_json->>'created_at')::timestamptz, now()))
	ON CONFLICT (id) DO NOTHING;
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "content_item_move"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE items SET space_id = NEW.space_id WHERE id = NEW.item_id;
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "content_item_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM items WHERE id = OLD.item_id;
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "posts_item_reserve" BEFORE INSERT ON "posts" FOR EACH ROW EXECUTE FUNCTION "content_item_reserve"();--> statement-breakpoint
CREATE TRIGGER "posts_item_insert" AFTER INSERT ON "posts" FOR EACH ROW EXECUTE FUNCTION "content_item_insert"();--> statement-breakpoint
CREATE TRIGGER "posts_item_move" AFTER UPDATE OF "space_id" ON "posts" FOR EACH ROW WHEN (OLD.space_id IS DISTINCT FROM NEW.space_id) EXECUTE FUNCTION "content_item_move"();--> statement-breakpoint
CREATE TRIGGER "posts_item_delete" AFTER DELETE ON "posts" FOR EACH ROW EXECUTE FUNCTION "content_item_delete"();--> statement-breakpoint
CREATE TRIGGER "ideas_item_reserve" BEFORE INSERT ON "ideas" FOR EACH ROW EXECUTE FUNCTION "content_item_reserve"();--> statement-breakpoint
CREATE TRIGGER "ideas_item_insert" AFTER INSERT ON "ideas" FOR EACH ROW EXECUTE FUNCTION "content_item_insert"('idea');--> statement-breakpoint
CREATE TRIGGER "ideas_item_move" AFTER UPDATE OF "space_id" ON "ideas" FOR EACH ROW WHEN (OLD.space_id IS DISTINCT FROM NEW.space_id) EXECUTE FUNCTION "content_item_move"();--> statement-breakpoint
CREATE TRIGGER "ideas_item_delete" AFTER DELETE ON "ideas" FOR EACH ROW EXECUTE FUNCTION "content_item_delete"();
