CREATE TYPE "public"."publication_approval_capacity" AS ENUM('moderator', 'sme', 'admin');--> statement-breakpoint
CREATE TYPE "public"."confidential_term_kind" AS ENUM('customer', 'codename');--> statement-breakpoint
CREATE TYPE "public"."consent_choice" AS ENUM('pending', 'named', 'generic', 'omit');--> statement-breakpoint
CREATE TYPE "public"."forum_reaction_kind" AS ENUM('helpful', 'not_helpful');--> statement-breakpoint
CREATE TYPE "public"."forum_token_purpose" AS ENUM('verify_email', 'reset_password');--> statement-breakpoint
CREATE TYPE "public"."publication_flag_status" AS ENUM('open', 'redacted', 'accepted');--> statement-breakpoint
CREATE TYPE "public"."publication_part_kind" AS ENUM('question', 'answer');--> statement-breakpoint
CREATE TYPE "public"."publication_status" AS ENUM('draft', 'published', 'withdrawn', 'superseded', 'discarded');--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'publication';--> statement-breakpoint
CREATE TABLE "confidential_terms" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "confidential_terms_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" "confidential_term_kind" NOT NULL,
	"term" text NOT NULL,
	"created_by_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forum_accounts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "forum_accounts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"verified_at" timestamp with time zone,
	"deactivated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forum_answers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "forum_answers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"thread_id" integer NOT NULL,
	"position" integer NOT NULL,
	"body_html" text NOT NULL,
	"author_name" text NOT NULL,
	"author_title" text DEFAULT '' NOT NULL,
	"author_named" boolean DEFAULT false NOT NULL,
	"accepted" boolean DEFAULT false NOT NULL,
	"answered_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forum_attempts" (
	"key" text PRIMARY KEY NOT NULL,
	"window_started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"count" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forum_comments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "forum_comments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"thread_id" integer NOT NULL,
	"account_id" integer NOT NULL,
	"body" text NOT NULL,
	"body_html" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "forum_reactions" (
	"thread_id" integer NOT NULL,
	"answer_id" integer DEFAULT 0 NOT NULL,
	"account_id" integer NOT NULL,
	"kind" "forum_reaction_kind" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "forum_reactions_thread_id_answer_id_account_id_pk" PRIMARY KEY("thread_id","answer_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "forum_runtime" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forum_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"absolute_expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forum_thread_reviews" (
	"thread_id" integer PRIMARY KEY NOT NULL,
	"reviewed_through" timestamp with time zone NOT NULL,
	"reviewed_by_id" integer
);
--> statement-breakpoint
CREATE TABLE "forum_threads" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "forum_threads_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"body_html" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"author_name" text NOT NULL,
	"author_title" text DEFAULT '' NOT NULL,
	"author_named" boolean DEFAULT false NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"answer_count" integer DEFAULT 0 NOT NULL,
	"solved" boolean DEFAULT false NOT NULL,
	"asked_at" timestamp with time zone NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forum_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"purpose" "forum_token_purpose" NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "publication_approvals" (
	"publication_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"capacity" "publication_approval_capacity" NOT NULL,
	"revision" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "publication_approvals_publication_id_user_id_pk" PRIMARY KEY("publication_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "publication_consents" (
	"publication_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"choice" "consent_choice" DEFAULT 'pending' NOT NULL,
	"generic_label" text DEFAULT 'employee' NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "publication_consents_publication_id_user_id_pk" PRIMARY KEY("publication_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "publication_events" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "publication_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"publication_id" integer NOT NULL,
	"actor_id" integer,
	"kind" text NOT NULL,
	"detail" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "publication_flags" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "publication_flags_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"publication_id" integer NOT NULL,
	"part_id" integer,
	"detector" text NOT NULL,
	"match" text NOT NULL,
	"start" integer NOT NULL,
	"end" integer NOT NULL,
	"status" "publication_flag_status" DEFAULT 'open' NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"resolved_by_id" integer,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "publication_parts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "publication_parts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"publication_id" integer NOT NULL,
	"kind" "publication_part_kind" NOT NULL,
	"post_id" integer,
	"author_id" integer NOT NULL,
	"body" text NOT NULL,
	"included" boolean DEFAULT true NOT NULL,
	"accepted" boolean DEFAULT false NOT NULL,
	"position" integer NOT NULL,
	"written_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "publications" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "publications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"question_id" integer NOT NULL,
	"space_id" integer NOT NULL,
	"proposer_id" integer NOT NULL,
	"status" "publication_status" DEFAULT 'draft' NOT NULL,
	"title" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"thread_id" integer,
	"previous_id" integer,
	"revision" integer DEFAULT 1 NOT NULL,
	"expires_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "confidential_terms" ADD CONSTRAINT "confidential_terms_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_answers" ADD CONSTRAINT "forum_answers_thread_id_forum_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."forum_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_comments" ADD CONSTRAINT "forum_comments_thread_id_forum_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."forum_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_comments" ADD CONSTRAINT "forum_comments_account_id_forum_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."forum_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_reactions" ADD CONSTRAINT "forum_reactions_thread_id_forum_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."forum_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_reactions" ADD CONSTRAINT "forum_reactions_account_id_forum_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."forum_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_sessions" ADD CONSTRAINT "forum_sessions_account_id_forum_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."forum_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_thread_reviews" ADD CONSTRAINT "forum_thread_reviews_thread_id_forum_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."forum_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_thread_reviews" ADD CONSTRAINT "forum_thread_reviews_reviewed_by_id_users_id_fk" FOREIGN KEY ("reviewed_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_tokens" ADD CONSTRAINT "forum_tokens_account_id_forum_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."forum_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_approvals" ADD CONSTRAINT "publication_approvals_publication_id_publications_id_fk" FOREIGN KEY ("publication_id") REFERENCES "public"."publications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_approvals" ADD CONSTRAINT "publication_approvals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_consents" ADD CONSTRAINT "publication_consents_publication_id_publications_id_fk" FOREIGN KEY ("publication_id") REFERENCES "public"."publications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_consents" ADD CONSTRAINT "publication_consents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_events" ADD CONSTRAINT "publication_events_publication_id_publications_id_fk" FOREIGN KEY ("publication_id") REFERENCES "public"."publications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_events" ADD CONSTRAINT "publication_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_flags" ADD CONSTRAINT "publication_flags_publication_id_publications_id_fk" FOREIGN KEY ("publication_id") REFERENCES "public"."publications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_flags" ADD CONSTRAINT "publication_flags_part_id_publication_parts_id_fk" FOREIGN KEY ("part_id") REFERENCES "public"."publication_parts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_flags" ADD CONSTRAINT "publication_flags_resolved_by_id_users_id_fk" FOREIGN KEY ("resolved_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_parts" ADD CONSTRAINT "publication_parts_publication_id_publications_id_fk" FOREIGN KEY ("publication_id") REFERENCES "public"."publications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_parts" ADD CONSTRAINT "publication_parts_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_parts" ADD CONSTRAINT "publication_parts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_question_id_posts_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_proposer_id_users_id_fk" FOREIGN KEY ("proposer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_thread_id_forum_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."forum_threads"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "confidential_terms_key" ON "confidential_terms" USING btree ("kind",lower("term"));--> statement-breakpoint
CREATE UNIQUE INDEX "forum_accounts_email_key" ON "forum_accounts" USING btree ("email");--> statement-breakpoint
CREATE INDEX "forum_answers_thread_idx" ON "forum_answers" USING btree ("thread_id","position");--> statement-breakpoint
CREATE INDEX "forum_comments_thread_idx" ON "forum_comments" USING btree ("thread_id","created_at");--> statement-breakpoint
CREATE INDEX "forum_reactions_thread_idx" ON "forum_reactions" USING btree ("thread_id","created_at");--> statement-breakpoint
CREATE INDEX "forum_sessions_account_idx" ON "forum_sessions" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "forum_threads_live_idx" ON "forum_threads" USING btree ("published_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "forum_threads"."withdrawn_at" is null;--> statement-breakpoint
CREATE INDEX "forum_threads_tags_idx" ON "forum_threads" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "forum_tokens_account_idx" ON "forum_tokens" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "publication_consents_user_idx" ON "publication_consents" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "publication_events_publication_idx" ON "publication_events" USING btree ("publication_id","id");--> statement-breakpoint
CREATE INDEX "publication_flags_publication_idx" ON "publication_flags" USING btree ("publication_id","status");--> statement-breakpoint
CREATE INDEX "publication_parts_publication_idx" ON "publication_parts" USING btree ("publication_id","position");--> statement-breakpoint
CREATE INDEX "publications_question_idx" ON "publications" USING btree ("question_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "publications_status_idx" ON "publications" USING btree ("status","updated_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "publications_one_draft_key" ON "publications" USING btree ("question_id") WHERE "publications"."status" = 'draft';--> statement-breakpoint
-- The forum's own role (decision 013). The forum process connects as it and may read the published
-- tables and write the customer-side ones, nothing else: every other table answers "permission
-- denied". It is made without LOGIN; the app gives it a password and LOGIN at each start
-- (FORUM_DB_PASSWORD, or a fresh random one for the embedded default). Roles belong to the whole
-- cluster, hence the check: a second database on the same server shares it.
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'commons_forum') THEN
    CREATE ROLE commons_forum NOLOGIN;
  END IF;
END $$;
--> statement-breakpoint
GRANT SELECT ON "forum_threads", "forum_answers", "forum_runtime" TO commons_forum;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON "forum_accounts", "forum_comments" TO commons_forum;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "forum_sessions", "forum_tokens", "forum_attempts", "forum_reactions" TO commons_forum;
--> statement-breakpoint
-- Verification and reset mail go through the app's mail outbox: the forum may add a mail, never read one.
GRANT INSERT ON "mail_outbox" TO commons_forum;
