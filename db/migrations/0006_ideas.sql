CREATE TYPE "public"."idea_event_kind" AS ENUM('submitted', 'status', 'merged_in');--> statement-breakpoint
CREATE TYPE "public"."idea_owner_state" AS ENUM('invited', 'accepted');--> statement-breakpoint
CREATE TYPE "public"."idea_status" AS ENUM('submitted', 'under_review', 'accepted', 'in_progress', 'implemented', 'declined', 'merged');--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'idea_status';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'idea_comment';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'idea_invite';--> statement-breakpoint
ALTER TYPE "public"."reputation_reason" ADD VALUE 'idea_accepted';--> statement-breakpoint
ALTER TYPE "public"."reputation_reason" ADD VALUE 'idea_implemented';--> statement-breakpoint
CREATE TABLE "campaign_evaluators" (
	"campaign_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	CONSTRAINT "campaign_evaluators_campaign_id_user_id_pk" PRIMARY KEY("campaign_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "campaign_voters" (
	"campaign_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	CONSTRAINT "campaign_voters_campaign_id_user_id_pk" PRIMARY KEY("campaign_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "campaigns_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"space_id" integer NOT NULL,
	"sponsor_id" integer NOT NULL,
	"title" text NOT NULL,
	"brief" text NOT NULL,
	"brief_html" text NOT NULL,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"criteria" text[] DEFAULT '{}'::text[] NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	"vote_budget" integer,
	"submission_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaigns_dates" CHECK ("campaigns"."ends_at" > "campaigns"."starts_at"),
	CONSTRAINT "campaigns_budget" CHECK ("campaigns"."vote_budget" is null or "campaigns"."vote_budget" between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "idea_comments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "idea_comments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"idea_id" integer NOT NULL,
	"space_id" integer NOT NULL,
	"author_id" integer NOT NULL,
	"body" text NOT NULL,
	"body_html" text NOT NULL,
	"deleted_at" timestamp with time zone,
	"submission_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idea_events" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "idea_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"idea_id" integer NOT NULL,
	"kind" "idea_event_kind" NOT NULL,
	"actor_id" integer NOT NULL,
	"from_status" "idea_status",
	"to_status" "idea_status",
	"reason" text DEFAULT '' NOT NULL,
	"other_idea_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idea_follows" (
	"user_id" integer NOT NULL,
	"idea_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idea_follows_user_id_idea_id_pk" PRIMARY KEY("user_id","idea_id")
);
--> statement-breakpoint
CREATE TABLE "idea_owners" (
	"idea_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"state" "idea_owner_state" NOT NULL,
	"invited_by_id" integer,
	"merged_from_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idea_owners_idea_id_user_id_pk" PRIMARY KEY("idea_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "idea_revisions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "idea_revisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"idea_id" integer NOT NULL,
	"number" integer NOT NULL,
	"editor_id" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"category" text DEFAULT '' NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idea_scores" (
	"idea_id" integer NOT NULL,
	"evaluator_id" integer NOT NULL,
	"criterion" text NOT NULL,
	"score" smallint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idea_scores_idea_id_evaluator_id_criterion_pk" PRIMARY KEY("idea_id","evaluator_id","criterion"),
	CONSTRAINT "idea_scores_range" CHECK ("idea_scores"."score" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "idea_votes" (
	"idea_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"campaign_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idea_votes_idea_id_user_id_pk" PRIMARY KEY("idea_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "ideas" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ideas_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"space_id" integer NOT NULL,
	"author_id" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"body_html" text NOT NULL,
	"category" text DEFAULT '' NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" "idea_status" DEFAULT 'submitted' NOT NULL,
	"status_reason" text DEFAULT '' NOT NULL,
	"status_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"merged_into_id" integer,
	"vote_count" integer DEFAULT 0 NOT NULL,
	"trending" double precision DEFAULT 0 NOT NULL,
	"comment_count" integer DEFAULT 0 NOT NULL,
	"revision_count" integer DEFAULT 1 NOT NULL,
	"last_edited_at" timestamp with time zone,
	"submission_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ideas_merged_has_target" CHECK (("ideas"."status" = 'merged') = ("ideas"."merged_into_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "question_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "idea_id" integer;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "idea_comment_id" integer;--> statement-breakpoint
ALTER TABLE "reputation_events" ADD COLUMN "idea_id" integer;--> statement-breakpoint
ALTER TABLE "campaign_evaluators" ADD CONSTRAINT "campaign_evaluators_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_evaluators" ADD CONSTRAINT "campaign_evaluators_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_voters" ADD CONSTRAINT "campaign_voters_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_voters" ADD CONSTRAINT "campaign_voters_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_sponsor_id_users_id_fk" FOREIGN KEY ("sponsor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_comments" ADD CONSTRAINT "idea_comments_idea_id_ideas_id_fk" FOREIGN KEY ("idea_id") REFERENCES "public"."ideas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_comments" ADD CONSTRAINT "idea_comments_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_comments" ADD CONSTRAINT "idea_comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_events" ADD CONSTRAINT "idea_events_idea_id_ideas_id_fk" FOREIGN KEY ("idea_id") REFERENCES "public"."ideas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_events" ADD CONSTRAINT "idea_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_events" ADD CONSTRAINT "idea_events_other_idea_id_ideas_id_fk" FOREIGN KEY ("other_idea_id") REFERENCES "public"."ideas"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_follows" ADD CONSTRAINT "idea_follows_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_follows" ADD CONSTRAINT "idea_follows_idea_id_ideas_id_fk" FOREIGN KEY ("idea_id") REFERENCES "public"."ideas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_owners" ADD CONSTRAINT "idea_owners_idea_id_ideas_id_fk" FOREIGN KEY ("idea_id") REFERENCES "public"."ideas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_owners" ADD CONSTRAINT "idea_owners_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_owners" ADD CONSTRAINT "idea_owners_invited_by_id_users_id_fk" FOREIGN KEY ("invited_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_owners" ADD CONSTRAINT "idea_owners_merged_from_id_ideas_id_fk" FOREIGN KEY ("merged_from_id") REFERENCES "public"."ideas"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_revisions" ADD CONSTRAINT "idea_revisions_idea_id_ideas_id_fk" FOREIGN KEY ("idea_id") REFERENCES "public"."ideas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_revisions" ADD CONSTRAINT "idea_revisions_editor_id_users_id_fk" FOREIGN KEY ("editor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_scores" ADD CONSTRAINT "idea_scores_idea_id_ideas_id_fk" FOREIGN KEY ("idea_id") REFERENCES "public"."ideas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_scores" ADD CONSTRAINT "idea_scores_evaluator_id_users_id_fk" FOREIGN KEY ("evaluator_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_votes" ADD CONSTRAINT "idea_votes_idea_id_ideas_id_fk" FOREIGN KEY ("idea_id") REFERENCES "public"."ideas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_votes" ADD CONSTRAINT "idea_votes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idea_votes" ADD CONSTRAINT "idea_votes_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ideas" ADD CONSTRAINT "ideas_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ideas" ADD CONSTRAINT "ideas_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ideas" ADD CONSTRAINT "ideas_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ideas" ADD CONSTRAINT "ideas_merged_into_id_ideas_id_fk" FOREIGN KEY ("merged_into_id") REFERENCES "public"."ideas"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_evaluators_user_idx" ON "campaign_evaluators" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "campaigns_space_idx" ON "campaigns" USING btree ("space_id","ends_at");--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_sponsor_submission_key" ON "campaigns" USING btree ("sponsor_id","submission_key");--> statement-breakpoint
CREATE INDEX "idea_comments_idea_idx" ON "idea_comments" USING btree ("idea_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "idea_comments_author_submission_key" ON "idea_comments" USING btree ("author_id","submission_key");--> statement-breakpoint
CREATE INDEX "idea_events_idea_idx" ON "idea_events" USING btree ("idea_id","created_at");--> statement-breakpoint
CREATE INDEX "idea_follows_idea_idx" ON "idea_follows" USING btree ("idea_id");--> statement-breakpoint
CREATE INDEX "idea_owners_user_idx" ON "idea_owners" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "idea_revisions_idea_number_key" ON "idea_revisions" USING btree ("idea_id","number");--> statement-breakpoint
CREATE INDEX "idea_votes_campaign_user_idx" ON "idea_votes" USING btree ("campaign_id","user_id");--> statement-breakpoint
CREATE INDEX "ideas_campaign_idx" ON "ideas" USING btree ("campaign_id","created_at");--> statement-breakpoint
CREATE INDEX "ideas_campaign_trending_idx" ON "ideas" USING btree ("campaign_id","trending");--> statement-breakpoint
CREATE INDEX "ideas_author_idx" ON "ideas" USING btree ("author_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ideas_author_submission_key" ON "ideas" USING btree ("author_id","submission_key");--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_idea_id_ideas_id_fk" FOREIGN KEY ("idea_id") REFERENCES "public"."ideas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_idea_comment_id_idea_comments_id_fk" FOREIGN KEY ("idea_comment_id") REFERENCES "public"."idea_comments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reputation_events" ADD CONSTRAINT "reputation_events_idea_id_ideas_id_fk" FOREIGN KEY ("idea_id") REFERENCES "public"."ideas"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_one_subject" CHECK (("notifications"."question_id" is null) <> ("notifications"."idea_id" is null));