CREATE TYPE "public"."suggestion_status" AS ENUM('open', 'changes_requested', 'approved', 'declined', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."article_status" AS ENUM('draft', 'scheduled', 'published');--> statement-breakpoint
CREATE TYPE "public"."article_type" AS ENUM('announcement', 'how_to', 'knowledge', 'personal');--> statement-breakpoint
ALTER TYPE "public"."item_kind" ADD VALUE 'wiki_page';--> statement-breakpoint
ALTER TYPE "public"."item_kind" ADD VALUE 'article';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'page_edit';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'page_review';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'suggestion';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'suggestion_outcome';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'article';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'promotion';--> statement-breakpoint
ALTER TYPE "public"."reputation_reason" ADD VALUE 'article_upvoted';--> statement-breakpoint
ALTER TYPE "public"."reputation_reason" ADD VALUE 'article_downvoted';--> statement-breakpoint
ALTER TYPE "public"."reputation_reason" ADD VALUE 'edit_approved';--> statement-breakpoint
ALTER TYPE "public"."reputation_reason" ADD VALUE 'page_verified';--> statement-breakpoint
ALTER TYPE "public"."reputation_reason" ADD VALUE 'answer_promoted';--> statement-breakpoint
CREATE TABLE "wiki_page_links" (
	"from_page_id" integer NOT NULL,
	"target_title" text NOT NULL,
	"to_page_id" integer,
	CONSTRAINT "wiki_page_links_from_page_id_target_title_pk" PRIMARY KEY("from_page_id","target_title")
);
--> statement-breakpoint
CREATE TABLE "wiki_page_owners" (
	"page_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wiki_page_owners_page_id_user_id_pk" PRIMARY KEY("page_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "wiki_pages" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "wiki_pages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"item_id" integer NOT NULL,
	"space_id" integer NOT NULL,
	"parent_id" integer,
	"position" integer DEFAULT 0 NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"body_html" text NOT NULL,
	"toc" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"author_id" integer NOT NULL,
	"last_editor_id" integer,
	"last_edited_at" timestamp with time zone,
	"revision_count" integer DEFAULT 1 NOT NULL,
	"comment_count" integer DEFAULT 0 NOT NULL,
	"view_count" integer DEFAULT 0 NOT NULL,
	"protected" boolean DEFAULT false NOT NULL,
	"verified_at" timestamp with time zone,
	"verified_by_id" integer,
	"review_interval_days" integer,
	"review_due_at" timestamp with time zone,
	"review_notified_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"deleted_by_id" integer,
	"submission_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wiki_promotions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "wiki_promotions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"post_id" integer NOT NULL,
	"page_id" integer NOT NULL,
	"promoted_by_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wiki_suggestions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "wiki_suggestions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"page_id" integer NOT NULL,
	"space_id" integer NOT NULL,
	"author_id" integer NOT NULL,
	"base_revision" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"status" "suggestion_status" DEFAULT 'open' NOT NULL,
	"reviewer_id" integer,
	"review_note" text DEFAULT '' NOT NULL,
	"reviewed_at" timestamp with time zone,
	"result_revision" integer,
	"promoted_from_post_id" integer,
	"submission_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wiki_templates" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "wiki_templates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"space_id" integer,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"body" text NOT NULL,
	"created_by_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "articles" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "articles_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"item_id" integer NOT NULL,
	"space_id" integer NOT NULL,
	"author_id" integer NOT NULL,
	"type" "article_type" DEFAULT 'knowledge' NOT NULL,
	"status" "article_status" DEFAULT 'draft' NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"body_html" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"publish_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"score" integer DEFAULT 0 NOT NULL,
	"upvote_count" integer DEFAULT 0 NOT NULL,
	"downvote_count" integer DEFAULT 0 NOT NULL,
	"comment_count" integer DEFAULT 0 NOT NULL,
	"view_count" integer DEFAULT 0 NOT NULL,
	"revision_count" integer DEFAULT 1 NOT NULL,
	"last_edited_at" timestamp with time zone,
	"last_editor_id" integer,
	"deleted_at" timestamp with time zone,
	"deleted_by_id" integer,
	"submission_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "uploads" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "uploads_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"key" text NOT NULL,
	"uploader_id" integer NOT NULL,
	"item_id" integer,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"width" integer,
	"height" integer,
	"sha256" text NOT NULL,
	"attached_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "follows" DROP CONSTRAINT "follows_one_target";--> statement-breakpoint
ALTER TABLE "spaces" ADD COLUMN "wiki_protected" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "follows" ADD COLUMN "wiki_space_id" integer;--> statement-breakpoint
ALTER TABLE "follows" ADD COLUMN "person_id" integer;--> statement-breakpoint
ALTER TABLE "wiki_page_links" ADD CONSTRAINT "wiki_page_links_from_page_id_wiki_pages_id_fk" FOREIGN KEY ("from_page_id") REFERENCES "public"."wiki_pages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_page_links" ADD CONSTRAINT "wiki_page_links_to_page_id_wiki_pages_id_fk" FOREIGN KEY ("to_page_id") REFERENCES "public"."wiki_pages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_page_owners" ADD CONSTRAINT "wiki_page_owners_page_id_wiki_pages_id_fk" FOREIGN KEY ("page_id") REFERENCES "public"."wiki_pages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_page_owners" ADD CONSTRAINT "wiki_page_owners_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_pages" ADD CONSTRAINT "wiki_pages_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_pages" ADD CONSTRAINT "wiki_pages_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_pages" ADD CONSTRAINT "wiki_pages_parent_id_wiki_pages_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."wiki_pages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_pages" ADD CONSTRAINT "wiki_pages_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_pages" ADD CONSTRAINT "wiki_pages_last_editor_id_users_id_fk" FOREIGN KEY ("last_editor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_pages" ADD CONSTRAINT "wiki_pages_verified_by_id_users_id_fk" FOREIGN KEY ("verified_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_pages" ADD CONSTRAINT "wiki_pages_deleted_by_id_users_id_fk" FOREIGN KEY ("deleted_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_promotions" ADD CONSTRAINT "wiki_promotions_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_promotions" ADD CONSTRAINT "wiki_promotions_page_id_wiki_pages_id_fk" FOREIGN KEY ("page_id") REFERENCES "public"."wiki_pages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_promotions" ADD CONSTRAINT "wiki_promotions_promoted_by_id_users_id_fk" FOREIGN KEY ("promoted_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_suggestions" ADD CONSTRAINT "wiki_suggestions_page_id_wiki_pages_id_fk" FOREIGN KEY ("page_id") REFERENCES "public"."wiki_pages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_suggestions" ADD CONSTRAINT "wiki_suggestions_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_suggestions" ADD CONSTRAINT "wiki_suggestions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_suggestions" ADD CONSTRAINT "wiki_suggestions_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_suggestions" ADD CONSTRAINT "wiki_suggestions_promoted_from_post_id_posts_id_fk" FOREIGN KEY ("promoted_from_post_id") REFERENCES "public"."posts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_templates" ADD CONSTRAINT "wiki_templates_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wiki_templates" ADD CONSTRAINT "wiki_templates_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "articles" ADD CONSTRAINT "articles_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "articles" ADD CONSTRAINT "articles_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "articles" ADD CONSTRAINT "articles_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "articles" ADD CONSTRAINT "articles_last_editor_id_users_id_fk" FOREIGN KEY ("last_editor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "articles" ADD CONSTRAINT "articles_deleted_by_id_users_id_fk" FOREIGN KEY ("deleted_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_uploader_id_users_id_fk" FOREIGN KEY ("uploader_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "wiki_page_links_to_idx" ON "wiki_page_links" USING btree ("to_page_id");--> statement-breakpoint
CREATE INDEX "wiki_page_links_title_idx" ON "wiki_page_links" USING btree ("target_title") WHERE "wiki_page_links"."to_page_id" is null;--> statement-breakpoint
CREATE INDEX "wiki_page_owners_user_idx" ON "wiki_page_owners" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "wiki_pages_item_key" ON "wiki_pages" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "wiki_pages_tree_idx" ON "wiki_pages" USING btree ("space_id","parent_id","position");--> statement-breakpoint
CREATE INDEX "wiki_pages_title_idx" ON "wiki_pages" USING btree ("space_id",lower("title"));--> statement-breakpoint
CREATE INDEX "wiki_pages_review_idx" ON "wiki_pages" USING btree ("review_due_at") WHERE "wiki_pages"."review_due_at" is not null and "wiki_pages"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "wiki_pages_author_submission_key" ON "wiki_pages" USING btree ("author_id","submission_key");--> statement-breakpoint
CREATE UNIQUE INDEX "wiki_promotions_post_page_key" ON "wiki_promotions" USING btree ("post_id","page_id");--> statement-breakpoint
CREATE INDEX "wiki_promotions_page_idx" ON "wiki_promotions" USING btree ("page_id");--> statement-breakpoint
CREATE INDEX "wiki_suggestions_queue_idx" ON "wiki_suggestions" USING btree ("space_id","created_at") WHERE "wiki_suggestions"."status" in ('open', 'changes_requested');--> statement-breakpoint
CREATE INDEX "wiki_suggestions_page_idx" ON "wiki_suggestions" USING btree ("page_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "wiki_suggestions_author_submission_key" ON "wiki_suggestions" USING btree ("author_id","submission_key");--> statement-breakpoint
CREATE UNIQUE INDEX "wiki_templates_space_name_key" ON "wiki_templates" USING btree (coalesce("space_id", 0),lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "articles_item_key" ON "articles" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "articles_feed_idx" ON "articles" USING btree ("published_at" DESC NULLS LAST) WHERE "articles"."status" = 'published' and "articles"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "articles_space_feed_idx" ON "articles" USING btree ("space_id","published_at" DESC NULLS LAST) WHERE "articles"."status" = 'published' and "articles"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "articles_author_idx" ON "articles" USING btree ("author_id","created_at");--> statement-breakpoint
CREATE INDEX "articles_due_idx" ON "articles" USING btree ("publish_at") WHERE "articles"."status" = 'scheduled';--> statement-breakpoint
CREATE UNIQUE INDEX "articles_author_submission_key" ON "articles" USING btree ("author_id","submission_key");--> statement-breakpoint
CREATE UNIQUE INDEX "uploads_key" ON "uploads" USING btree ("key");--> statement-breakpoint
CREATE INDEX "uploads_item_idx" ON "uploads" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "uploads_unattached_idx" ON "uploads" USING btree ("created_at") WHERE "uploads"."item_id" is null;--> statement-breakpoint
ALTER TABLE "follows" ADD CONSTRAINT "follows_wiki_space_id_spaces_id_fk" FOREIGN KEY ("wiki_space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follows" ADD CONSTRAINT "follows_person_id_users_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "follows_user_wiki_space_key" ON "follows" USING btree ("user_id","wiki_space_id") WHERE "follows"."wiki_space_id" is not null;--> statement-breakpoint
CREATE INDEX "follows_wiki_space_idx" ON "follows" USING btree ("wiki_space_id") WHERE "follows"."wiki_space_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "follows_user_person_key" ON "follows" USING btree ("user_id","person_id") WHERE "follows"."person_id" is not null;--> statement-breakpoint
CREATE INDEX "follows_person_idx" ON "follows" USING btree ("person_id") WHERE "follows"."person_id" is not null;--> statement-breakpoint
ALTER TABLE "follows" ADD CONSTRAINT "follows_one_target" CHECK (num_nonnulls("follows"."item_id", "follows"."tag_id", "follows"."wiki_space_id", "follows"."person_id") = 1);--> statement-breakpoint
-- Pages and articles are kinds of content (migration 0008): the item is made by triggers, so the key to it is checked at commit.
ALTER TABLE "wiki_pages" DROP CONSTRAINT "wiki_pages_item_id_items_id_fk";--> statement-breakpoint
ALTER TABLE "wiki_pages" ADD CONSTRAINT "wiki_pages_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "articles" DROP CONSTRAINT "articles_item_id_items_id_fk";--> statement-breakpoint
ALTER TABLE "articles" ADD CONSTRAINT "articles_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
CREATE TRIGGER "wiki_pages_item_reserve" BEFORE INSERT ON "wiki_pages" FOR EACH ROW EXECUTE FUNCTION "content_item_reserve"();--> statement-breakpoint
CREATE TRIGGER "wiki_pages_item_insert" AFTER INSERT ON "wiki_pages" FOR EACH ROW EXECUTE FUNCTION "content_item_insert"('wiki_page');--> statement-breakpoint
CREATE TRIGGER "wiki_pages_item_move" AFTER UPDATE OF "space_id" ON "wiki_pages" FOR EACH ROW WHEN (OLD.space_id IS DISTINCT FROM NEW.space_id) EXECUTE FUNCTION "content_item_move"();--> statement-breakpoint
CREATE TRIGGER "wiki_pages_item_delete" AFTER DELETE ON "wiki_pages" FOR EACH ROW EXECUTE FUNCTION "content_item_delete"();--> statement-breakpoint
CREATE TRIGGER "articles_item_reserve" BEFORE INSERT ON "articles" FOR EACH ROW EXECUTE FUNCTION "content_item_reserve"();--> statement-breakpoint
CREATE TRIGGER "articles_item_insert" AFTER INSERT ON "articles" FOR EACH ROW EXECUTE FUNCTION "content_item_insert"('article');--> statement-breakpoint
CREATE TRIGGER "articles_item_move" AFTER UPDATE OF "space_id" ON "articles" FOR EACH ROW WHEN (OLD.space_id IS DISTINCT FROM NEW.space_id) EXECUTE FUNCTION "content_item_move"();--> statement-breakpoint
CREATE TRIGGER "articles_item_delete" AFTER DELETE ON "articles" FOR EACH ROW EXECUTE FUNCTION "content_item_delete"();--> statement-breakpoint
CREATE TABLE "article_views" (
	"article_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"viewed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "article_views_article_id_user_id_pk" PRIMARY KEY("article_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "article_views" ADD CONSTRAINT "article_views_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "article_views" ADD CONSTRAINT "article_views_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
-- Kinds deleted softly keep items.deleted_at equal to their own, so statements over many items need no kind's table.
UPDATE "items" SET "deleted_at" = p."deleted_at" FROM "posts" p WHERE p."item_id" = "items"."id" AND p."deleted_at" IS NOT NULL;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "content_item_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	row_json jsonb;
BEGIN
	-- A writer that made the item itself (the generator's COPY) passed its id.
	IF EXISTS (SELECT 1 FROM items WHERE id = NEW.item_id) THEN
		RETURN NULL;
	END IF;
	row_json := to_jsonb(NEW);
	-- A row written already deleted (an import of a deleted post) makes a deleted item.
	INSERT INTO items (id, kind, space_id, created_at, deleted_at) OVERRIDING SYSTEM VALUE
	VALUES (NEW.item_id, coalesce(TG_ARGV[0], row_json->>'type')::item_kind, (row_json->>'space_id')::integer, coalesce((row_json->>'created_at')::timestamptz, now()), (row_json->>'deleted_at')::timestamptz)
	ON CONFLICT (id) DO NOTHING;
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "content_item_soft_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE items SET deleted_at = NEW.deleted_at WHERE id = NEW.item_id;
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "posts_item_soft_delete" AFTER UPDATE OF "deleted_at" ON "posts" FOR EACH ROW WHEN (OLD.deleted_at IS DISTINCT FROM NEW.deleted_at) EXECUTE FUNCTION "content_item_soft_delete"();--> statement-breakpoint
CREATE TRIGGER "wiki_pages_item_soft_delete" AFTER UPDATE OF "deleted_at" ON "wiki_pages" FOR EACH ROW WHEN (OLD.deleted_at IS DISTINCT FROM NEW.deleted_at) EXECUTE FUNCTION "content_item_soft_delete"();--> statement-breakpoint
CREATE TRIGGER "articles_item_soft_delete" AFTER UPDATE OF "deleted_at" ON "articles" FOR EACH ROW WHEN (OLD.deleted_at IS DISTINCT FROM NEW.deleted_at) EXECUTE FUNCTION "content_item_soft_delete"();--> statement-breakpoint
CREATE INDEX "uploads_uploader_time_idx" ON "uploads" USING btree ("uploader_id","created_at");