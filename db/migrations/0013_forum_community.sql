CREATE TYPE "public"."forum_escalation_state" AS ENUM('escalated', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."forum_moderation" AS ENUM('visible', 'pending', 'removed');--> statement-breakpoint
CREATE TYPE "public"."forum_thread_origin" AS ENUM('published', 'customer', 'session');--> statement-breakpoint
CREATE TYPE "public"."escalation_severity" AS ENUM('low', 'medium', 'high', 'critical');--> statement-breakpoint
CREATE TYPE "public"."escalation_status" AS ENUM('open', 'investigating', 'resolved', 'dismissed');--> statement-breakpoint
CREATE TYPE "public"."forum_queue_status" AS ENUM('open', 'answered', 'solved', 'closed');--> statement-breakpoint
CREATE TYPE "public"."forum_route_reason" AS ENUM('sme', 'responder', 'expert');--> statement-breakpoint
CREATE TYPE "public"."forum_suggestion_status" AS ENUM('open', 'posted', 'dismissed');--> statement-breakpoint
CREATE TYPE "public"."live_session_audience" AS ENUM('forum', 'internal');--> statement-breakpoint
CREATE TYPE "public"."live_session_status" AS ENUM('scheduled', 'live', 'ended', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."share_item_kind" AS ENUM('thread', 'article');--> statement-breakpoint
CREATE TABLE "forum_escalations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "forum_escalations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"thread_id" integer NOT NULL,
	"rules" text[] DEFAULT '{}'::text[] NOT NULL,
	"reasons" text[] DEFAULT '{}'::text[] NOT NULL,
	"severity" "escalation_severity" NOT NULL,
	"status" "escalation_status" DEFAULT 'open' NOT NULL,
	"assignee_id" integer,
	"due_at" timestamp with time zone NOT NULL,
	"first_response_at" timestamp with time zone,
	"question_id" integer,
	"outcome" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "forum_flags" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "forum_flags_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"thread_id" integer NOT NULL,
	"answer_id" integer,
	"comment_id" integer,
	"account_id" integer NOT NULL,
	"reason" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolution" text,
	"resolved_by_id" integer,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "forum_me_toos" (
	"thread_id" integer NOT NULL,
	"account_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "forum_me_toos_thread_id_account_id_pk" PRIMARY KEY("thread_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "forum_queue" (
	"thread_id" integer PRIMARY KEY NOT NULL,
	"topics" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" "forum_queue_status" DEFAULT 'open' NOT NULL,
	"routed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"first_response_at" timestamp with time zone,
	"first_response_by_id" integer
);
--> statement-breakpoint
CREATE TABLE "forum_responders" (
	"topic" text NOT NULL,
	"user_id" integer NOT NULL,
	"named_by_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "forum_responders_topic_user_id_pk" PRIMARY KEY("topic","user_id")
);
--> statement-breakpoint
CREATE TABLE "forum_routes" (
	"thread_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"topic" text NOT NULL,
	"reason" "forum_route_reason" NOT NULL,
	"routed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "forum_routes_thread_id_user_id_pk" PRIMARY KEY("thread_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "forum_suggestions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "forum_suggestions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"thread_id" integer NOT NULL,
	"author_id" integer NOT NULL,
	"body" text NOT NULL,
	"status" "forum_suggestion_status" DEFAULT 'open' NOT NULL,
	"posted_answer_id" integer,
	"decided_by_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "forum_thread_views" (
	"thread_id" integer NOT NULL,
	"day" date NOT NULL,
	"views" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "forum_thread_views_thread_id_day_pk" PRIMARY KEY("thread_id","day")
);
--> statement-breakpoint
CREATE TABLE "forum_topic_settings" (
	"topic" text PRIMARY KEY NOT NULL,
	"sla_hours" integer NOT NULL,
	"updated_by_id" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_session_experts" (
	"session_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"name" text NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	CONSTRAINT "live_session_experts_session_id_user_id_pk" PRIMARY KEY("session_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "live_session_questions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "live_session_questions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"session_id" integer NOT NULL,
	"account_id" integer,
	"user_id" integer,
	"author_name" text NOT NULL,
	"body" text NOT NULL,
	"body_html" text NOT NULL,
	"votes" integer DEFAULT 0 NOT NULL,
	"answer" text,
	"answer_html" text,
	"answered_by_id" integer,
	"answered_by_name" text,
	"answered_by_title" text,
	"answered_at" timestamp with time zone,
	"hidden_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_session_votes" (
	"question_id" integer NOT NULL,
	"voter" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "live_session_votes_question_id_voter_pk" PRIMARY KEY("question_id","voter")
);
--> statement-breakpoint
CREATE TABLE "live_sessions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "live_sessions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"description_html" text DEFAULT '' NOT NULL,
	"topic" text NOT NULL,
	"audience" "live_session_audience" NOT NULL,
	"space_id" integer,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" "live_session_status" DEFAULT 'scheduled' NOT NULL,
	"created_by_id" integer,
	"thread_id" integer,
	"question_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_clicks" (
	"code" text NOT NULL,
	"day" date NOT NULL,
	"referrer_host" text DEFAULT '' NOT NULL,
	"clicks" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "share_clicks_code_day_referrer_host_pk" PRIMARY KEY("code","day","referrer_host")
);
--> statement-breakpoint
CREATE TABLE "share_curators" (
	"user_id" integer PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_kit_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "share_kit_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kit_id" integer NOT NULL,
	"kind" "share_item_kind" NOT NULL,
	"thread_id" integer,
	"url" text DEFAULT '' NOT NULL,
	"title" text NOT NULL,
	"suggested_text" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_kits" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "share_kits_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_by_id" integer,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_leaderboard_opt_ins" (
	"user_id" integer PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_links" (
	"code" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"item_id" integer NOT NULL,
	"target" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "forum_accounts" ADD COLUMN "trusted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "forum_answers" ADD COLUMN "author_user_id" integer;--> statement-breakpoint
ALTER TABLE "forum_answers" ADD COLUMN "credit_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "forum_comments" ADD COLUMN "moderation" "forum_moderation" DEFAULT 'visible' NOT NULL;--> statement-breakpoint
ALTER TABLE "forum_threads" ADD COLUMN "origin" "forum_thread_origin" DEFAULT 'published' NOT NULL;--> statement-breakpoint
ALTER TABLE "forum_threads" ADD COLUMN "account_id" integer;--> statement-breakpoint
ALTER TABLE "forum_threads" ADD COLUMN "body" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "forum_threads" ADD COLUMN "moderation" "forum_moderation" DEFAULT 'visible' NOT NULL;--> statement-breakpoint
ALTER TABLE "forum_threads" ADD COLUMN "escalation_state" "forum_escalation_state";--> statement-breakpoint
ALTER TABLE "forum_threads" ADD COLUMN "escalation_outcome" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "forum_threads" ADD COLUMN "escalation_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "forum_escalations" ADD CONSTRAINT "forum_escalations_thread_id_forum_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."forum_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_escalations" ADD CONSTRAINT "forum_escalations_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_escalations" ADD CONSTRAINT "forum_escalations_question_id_posts_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."posts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_flags" ADD CONSTRAINT "forum_flags_thread_id_forum_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."forum_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_flags" ADD CONSTRAINT "forum_flags_answer_id_forum_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."forum_answers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_flags" ADD CONSTRAINT "forum_flags_comment_id_forum_comments_id_fk" FOREIGN KEY ("comment_id") REFERENCES "public"."forum_comments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_flags" ADD CONSTRAINT "forum_flags_account_id_forum_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."forum_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_flags" ADD CONSTRAINT "forum_flags_resolved_by_id_users_id_fk" FOREIGN KEY ("resolved_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_me_toos" ADD CONSTRAINT "forum_me_toos_thread_id_forum_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."forum_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_me_toos" ADD CONSTRAINT "forum_me_toos_account_id_forum_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."forum_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_queue" ADD CONSTRAINT "forum_queue_thread_id_forum_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."forum_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_queue" ADD CONSTRAINT "forum_queue_first_response_by_id_users_id_fk" FOREIGN KEY ("first_response_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_responders" ADD CONSTRAINT "forum_responders_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_responders" ADD CONSTRAINT "forum_responders_named_by_id_users_id_fk" FOREIGN KEY ("named_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_routes" ADD CONSTRAINT "forum_routes_thread_id_forum_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."forum_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_routes" ADD CONSTRAINT "forum_routes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_suggestions" ADD CONSTRAINT "forum_suggestions_thread_id_forum_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."forum_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_suggestions" ADD CONSTRAINT "forum_suggestions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_suggestions" ADD CONSTRAINT "forum_suggestions_posted_answer_id_forum_answers_id_fk" FOREIGN KEY ("posted_answer_id") REFERENCES "public"."forum_answers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_suggestions" ADD CONSTRAINT "forum_suggestions_decided_by_id_users_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_thread_views" ADD CONSTRAINT "forum_thread_views_thread_id_forum_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."forum_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_topic_settings" ADD CONSTRAINT "forum_topic_settings_updated_by_id_users_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_session_experts" ADD CONSTRAINT "live_session_experts_session_id_live_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_session_experts" ADD CONSTRAINT "live_session_experts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_session_questions" ADD CONSTRAINT "live_session_questions_session_id_live_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_session_questions" ADD CONSTRAINT "live_session_questions_account_id_forum_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."forum_accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_session_questions" ADD CONSTRAINT "live_session_questions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_session_questions" ADD CONSTRAINT "live_session_questions_answered_by_id_users_id_fk" FOREIGN KEY ("answered_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_session_votes" ADD CONSTRAINT "live_session_votes_question_id_live_session_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."live_session_questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_sessions" ADD CONSTRAINT "live_sessions_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_sessions" ADD CONSTRAINT "live_sessions_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_sessions" ADD CONSTRAINT "live_sessions_thread_id_forum_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."forum_threads"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_sessions" ADD CONSTRAINT "live_sessions_question_id_posts_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."posts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_clicks" ADD CONSTRAINT "share_clicks_code_share_links_code_fk" FOREIGN KEY ("code") REFERENCES "public"."share_links"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_curators" ADD CONSTRAINT "share_curators_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_kit_items" ADD CONSTRAINT "share_kit_items_kit_id_share_kits_id_fk" FOREIGN KEY ("kit_id") REFERENCES "public"."share_kits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_kit_items" ADD CONSTRAINT "share_kit_items_thread_id_forum_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."forum_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_kits" ADD CONSTRAINT "share_kits_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_leaderboard_opt_ins" ADD CONSTRAINT "share_leaderboard_opt_ins_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_item_id_share_kit_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."share_kit_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "forum_escalations_one_open_key" ON "forum_escalations" USING btree ("thread_id") WHERE "forum_escalations"."status" in ('open', 'investigating');--> statement-breakpoint
CREATE INDEX "forum_escalations_status_idx" ON "forum_escalations" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "forum_flags_open_idx" ON "forum_flags" USING btree ("created_at") WHERE "forum_flags"."resolved_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "forum_flags_once_key" ON "forum_flags" USING btree ("account_id","thread_id",coalesce("answer_id", 0),coalesce("comment_id", 0));--> statement-breakpoint
CREATE INDEX "forum_me_toos_created_idx" ON "forum_me_toos" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "forum_queue_status_idx" ON "forum_queue" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "forum_responders_user_idx" ON "forum_responders" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "forum_routes_user_idx" ON "forum_routes" USING btree ("user_id","routed_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "forum_suggestions_thread_idx" ON "forum_suggestions" USING btree ("thread_id","created_at");--> statement-breakpoint
CREATE INDEX "forum_thread_views_day_idx" ON "forum_thread_views" USING btree ("day");--> statement-breakpoint
CREATE INDEX "live_session_questions_session_idx" ON "live_session_questions" USING btree ("session_id","votes" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "live_sessions_starts_idx" ON "live_sessions" USING btree ("audience","starts_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "share_kit_items_kit_idx" ON "share_kit_items" USING btree ("kit_id","position");--> statement-breakpoint
CREATE INDEX "share_kits_created_idx" ON "share_kits" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "share_links_user_item_key" ON "share_links" USING btree ("user_id","item_id");--> statement-breakpoint
ALTER TABLE "forum_answers" ADD CONSTRAINT "forum_answers_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_threads" ADD CONSTRAINT "forum_threads_account_id_forum_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."forum_accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "forum_threads_account_idx" ON "forum_threads" USING btree ("account_id","id" DESC NULLS LAST) WHERE "forum_threads"."account_id" is not null;--> statement-breakpoint
CREATE INDEX "forum_threads_origin_idx" ON "forum_threads" USING btree ("origin","published_at" DESC NULLS LAST);--> statement-breakpoint
-- The forum's role (decision 014) gets what part 2 needs and nothing more. Customers ask: the role may
-- add a thread, only as a customer's question (the policy below), and mark their question solved.
GRANT INSERT ("slug", "title", "body", "body_html", "summary", "author_name", "tags", "asked_at", "origin", "account_id", "moderation") ON "forum_threads" TO commons_forum;
--> statement-breakpoint
GRANT UPDATE ("solved", "updated_at") ON "forum_threads" TO commons_forum;
--> statement-breakpoint
GRANT UPDATE ("accepted") ON "forum_answers" TO commons_forum;
--> statement-breakpoint
ALTER TABLE "forum_threads" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "forum_threads_forum_read" ON "forum_threads" FOR SELECT TO commons_forum USING (true);
--> statement-breakpoint
CREATE POLICY "forum_threads_forum_ask" ON "forum_threads" FOR INSERT TO commons_forum
  WITH CHECK ("origin" = 'customer' AND "account_id" IS NOT NULL AND "moderation" IN ('visible', 'pending'));
--> statement-breakpoint
CREATE POLICY "forum_threads_forum_accept" ON "forum_threads" FOR UPDATE TO commons_forum
  USING ("origin" = 'customer') WITH CHECK ("origin" = 'customer');
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "forum_me_toos" TO commons_forum;
--> statement-breakpoint
GRANT SELECT, INSERT ON "forum_flags" TO commons_forum;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON "forum_thread_views", "share_clicks" TO commons_forum;
--> statement-breakpoint
-- Of a share link, the forum may read where it leads, never whose it is.
GRANT SELECT ("code", "target") ON "share_links" TO commons_forum;
--> statement-breakpoint
-- Live sessions: the forum's role sees the forum's sessions only. Row-level security holds the line
-- (the app's role owns the tables and is not subject to it): an internal session's title, questions
-- and experts answer as if they did not exist.
GRANT SELECT ON "live_sessions", "live_session_experts" TO commons_forum;
--> statement-breakpoint
GRANT SELECT, INSERT ON "live_session_questions" TO commons_forum;
--> statement-breakpoint
GRANT UPDATE ("votes") ON "live_session_questions" TO commons_forum;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "live_session_votes" TO commons_forum;
--> statement-breakpoint
ALTER TABLE "live_sessions" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "live_sessions_forum" ON "live_sessions" FOR SELECT TO commons_forum USING ("audience" = 'forum');
--> statement-breakpoint
ALTER TABLE "live_session_experts" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "live_session_experts_forum" ON "live_session_experts" FOR SELECT TO commons_forum
  USING (EXISTS (SELECT 1 FROM "live_sessions" s WHERE s."id" = "session_id" AND s."audience" = 'forum'));
--> statement-breakpoint
ALTER TABLE "live_session_questions" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "live_session_questions_forum" ON "live_session_questions" FOR ALL TO commons_forum
  USING (EXISTS (SELECT 1 FROM "live_sessions" s WHERE s."id" = "session_id" AND s."audience" = 'forum'))
  WITH CHECK ("user_id" IS NULL AND EXISTS (SELECT 1 FROM "live_sessions" s WHERE s."id" = "session_id" AND s."audience" = 'forum'));
--> statement-breakpoint
ALTER TABLE "live_session_votes" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "live_session_votes_forum" ON "live_session_votes" FOR ALL TO commons_forum
  USING ("voter" LIKE 'a:%' AND EXISTS (SELECT 1 FROM "live_session_questions" q JOIN "live_sessions" s ON s."id" = q."session_id" WHERE q."id" = "live_session_votes"."question_id" AND s."audience" = 'forum'))
  WITH CHECK ("voter" LIKE 'a:%' AND EXISTS (SELECT 1 FROM "live_session_questions" q JOIN "live_sessions" s ON s."id" = q."session_id" WHERE q."id" = "live_session_votes"."question_id" AND s."audience" = 'forum'));
