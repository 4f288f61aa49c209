CREATE TYPE "public"."analytics_run_status" AS ENUM('running', 'done', 'failed');--> statement-breakpoint
CREATE TYPE "public"."expertise_evidence_kind" AS ENUM('answer', 'accepted_answer', 'answer_vote', 'wiki_edit', 'page_owned', 'page_verified', 'idea_accepted', 'idea_implemented', 'kudos', 'declared');--> statement-breakpoint
CREATE TYPE "public"."route_reason" AS ENUM('expert', 'moderator', 'asked');--> statement-breakpoint
CREATE TYPE "public"."routing_status" AS ENUM('routing', 'answered', 'moderators', 'closed');--> statement-breakpoint
CREATE TYPE "public"."sme_source" AS ENUM('assigned', 'automatic');--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'routed';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'relay';--> statement-breakpoint
ALTER TYPE "public"."reputation_reason" ADD VALUE 'routed_answer';--> statement-breakpoint
CREATE TABLE "analytics_runs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "analytics_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"status" "analytics_run_status" DEFAULT 'running' NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"people" integer DEFAULT 0 NOT NULL,
	"interactions" integer DEFAULT 0 NOT NULL,
	"edges" integer DEFAULT 0 NOT NULL,
	"duration_ms" integer,
	"peak_heap_mb" integer,
	"error" text,
	"requested_by_id" integer,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "anonymous_askers" (
	"question_id" integer PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "anonymous_break_glass" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "anonymous_break_glass_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"question_id" integer NOT NULL,
	"moderator_id" integer NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "anonymous_break_glass_reason" CHECK (length("anonymous_break_glass"."reason") >= 10)
);
--> statement-breakpoint
CREATE TABLE "anonymous_relay_messages" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "anonymous_relay_messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"question_id" integer NOT NULL,
	"sender_id" integer NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "expertise_evidence" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "expertise_evidence_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" integer NOT NULL,
	"tag_id" integer NOT NULL,
	"space_id" integer NOT NULL,
	"kind" "expertise_evidence_kind" NOT NULL,
	"item_id" integer,
	"weight" double precision NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "expertise_outbox" (
	"user_id" integer PRIMARY KEY NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "expertise_scores" (
	"user_id" integer NOT NULL,
	"tag_id" integer NOT NULL,
	"space_id" integer NOT NULL,
	"decayed" double precision NOT NULL,
	"evidence_count" integer NOT NULL,
	"last_evidence_at" timestamp with time zone NOT NULL,
	CONSTRAINT "expertise_scores_user_id_tag_id_space_id_pk" PRIMARY KEY("user_id","tag_id","space_id")
);
--> statement-breakpoint
CREATE TABLE "hr_views" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "hr_views_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"viewer_id" integer NOT NULL,
	"subject_id" integer NOT NULL,
	"what" text NOT NULL,
	"viewed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "person_roles" (
	"run_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"department" text DEFAULT '' NOT NULL,
	"maven" double precision DEFAULT 0 NOT NULL,
	"connector" double precision DEFAULT 0 NOT NULL,
	"salesman" double precision DEFAULT 0 NOT NULL,
	"is_maven" integer DEFAULT 0 NOT NULL,
	"is_connector" integer DEFAULT 0 NOT NULL,
	"is_salesman" integer DEFAULT 0 NOT NULL,
	"profile" text NOT NULL,
	"explanation" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "person_roles_run_id_user_id_pk" PRIMARY KEY("run_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "question_routes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "question_routes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"question_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"reason" "route_reason" NOT NULL,
	"round" integer DEFAULT 1 NOT NULL,
	"asked_by_id" integer,
	"why" text DEFAULT '' NOT NULL,
	"routed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "question_routing" (
	"question_id" integer PRIMARY KEY NOT NULL,
	"space_id" integer NOT NULL,
	"status" "routing_status" DEFAULT 'routing' NOT NULL,
	"round" integer DEFAULT 0 NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"first_answer_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tag_smes" (
	"tag_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"source" "sme_source" NOT NULL,
	"assigned_by_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tag_smes_tag_id_user_id_pk" PRIMARY KEY("tag_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "user_topics" (
	"user_id" integer NOT NULL,
	"tag_id" integer NOT NULL,
	"declared" boolean DEFAULT false NOT NULL,
	"hidden" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_topics_user_id_tag_id_pk" PRIMARY KEY("user_id","tag_id")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "routing_opt_out" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "away_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "roles_opt_out" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "spaces" ADD COLUMN "answer_deadline_hours" integer;--> statement-breakpoint
ALTER TABLE "spaces" ADD COLUMN "anonymous_questions" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_runs" ADD CONSTRAINT "analytics_runs_requested_by_id_users_id_fk" FOREIGN KEY ("requested_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "anonymous_askers" ADD CONSTRAINT "anonymous_askers_question_id_posts_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "anonymous_askers" ADD CONSTRAINT "anonymous_askers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "anonymous_break_glass" ADD CONSTRAINT "anonymous_break_glass_question_id_posts_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "anonymous_break_glass" ADD CONSTRAINT "anonymous_break_glass_moderator_id_users_id_fk" FOREIGN KEY ("moderator_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "anonymous_relay_messages" ADD CONSTRAINT "anonymous_relay_messages_question_id_posts_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "anonymous_relay_messages" ADD CONSTRAINT "anonymous_relay_messages_sender_id_users_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expertise_evidence" ADD CONSTRAINT "expertise_evidence_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expertise_evidence" ADD CONSTRAINT "expertise_evidence_tag_id_tags_id_fk" FOREIGN KEY ("tag_id") REFERENCES "public"."tags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expertise_evidence" ADD CONSTRAINT "expertise_evidence_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expertise_evidence" ADD CONSTRAINT "expertise_evidence_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expertise_outbox" ADD CONSTRAINT "expertise_outbox_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expertise_scores" ADD CONSTRAINT "expertise_scores_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expertise_scores" ADD CONSTRAINT "expertise_scores_tag_id_tags_id_fk" FOREIGN KEY ("tag_id") REFERENCES "public"."tags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expertise_scores" ADD CONSTRAINT "expertise_scores_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hr_views" ADD CONSTRAINT "hr_views_viewer_id_users_id_fk" FOREIGN KEY ("viewer_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hr_views" ADD CONSTRAINT "hr_views_subject_id_users_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_roles" ADD CONSTRAINT "person_roles_run_id_analytics_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."analytics_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_roles" ADD CONSTRAINT "person_roles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question_routes" ADD CONSTRAINT "question_routes_question_id_posts_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question_routes" ADD CONSTRAINT "question_routes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question_routes" ADD CONSTRAINT "question_routes_asked_by_id_users_id_fk" FOREIGN KEY ("asked_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question_routing" ADD CONSTRAINT "question_routing_question_id_posts_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question_routing" ADD CONSTRAINT "question_routing_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tag_smes" ADD CONSTRAINT "tag_smes_tag_id_tags_id_fk" FOREIGN KEY ("tag_id") REFERENCES "public"."tags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tag_smes" ADD CONSTRAINT "tag_smes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tag_smes" ADD CONSTRAINT "tag_smes_assigned_by_id_users_id_fk" FOREIGN KEY ("assigned_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_topics" ADD CONSTRAINT "user_topics_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_topics" ADD CONSTRAINT "user_topics_tag_id_tags_id_fk" FOREIGN KEY ("tag_id") REFERENCES "public"."tags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "analytics_runs_end_idx" ON "analytics_runs" USING btree ("window_end");--> statement-breakpoint
CREATE INDEX "anonymous_break_glass_question_idx" ON "anonymous_break_glass" USING btree ("question_id");--> statement-breakpoint
CREATE INDEX "anonymous_relay_question_idx" ON "anonymous_relay_messages" USING btree ("question_id");--> statement-breakpoint
CREATE INDEX "expertise_evidence_user_idx" ON "expertise_evidence" USING btree ("user_id","tag_id");--> statement-breakpoint
CREATE INDEX "expertise_evidence_tag_idx" ON "expertise_evidence" USING btree ("tag_id","space_id");--> statement-breakpoint
CREATE INDEX "expertise_scores_tag_idx" ON "expertise_scores" USING btree ("tag_id","space_id");--> statement-breakpoint
CREATE INDEX "hr_views_subject_idx" ON "hr_views" USING btree ("subject_id","viewed_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "person_roles_user_idx" ON "person_roles" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "question_routes_question_idx" ON "question_routes" USING btree ("question_id","user_id");--> statement-breakpoint
CREATE INDEX "question_routes_user_time_idx" ON "question_routes" USING btree ("user_id","routed_at");--> statement-breakpoint
CREATE INDEX "question_routing_due_idx" ON "question_routing" USING btree ("due_at") WHERE "question_routing"."status" = 'routing';--> statement-breakpoint
CREATE INDEX "question_routing_space_idx" ON "question_routing" USING btree ("space_id","created_at");--> statement-breakpoint
CREATE INDEX "tag_smes_user_idx" ON "tag_smes" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "user_topics_tag_idx" ON "user_topics" USING btree ("tag_id");--> statement-breakpoint
-- The expertise outbox (issue 18): every change that can move someone's evidence names that
-- person in the same transaction; the expertise worker rebuilds their evidence after commit.
-- The upsert locks the person's row until the change commits, so the worker (which claims rows
-- with SKIP LOCKED) never rebuilds someone from a snapshot that misses a change still in flight.
-- Inserts go statement by statement through transition tables, so a bulk load (COPY) pays one
-- statement per table, not one per row.
CREATE FUNCTION expertise_enqueue(ids integer[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO expertise_outbox (user_id)
  SELECT DISTINCT u FROM unnest(ids) AS u WHERE u IS NOT NULL
  ON CONFLICT (user_id) DO UPDATE SET queued_at = excluded.queued_at;
  SELECT pg_notify('expertise', '');
$$;
--> statement-breakpoint
CREATE FUNCTION expertise_answers_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM expertise_enqueue(array(SELECT author_id FROM new_rows WHERE type = 'answer'));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER posts_expertise_insert AFTER INSERT ON posts REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION expertise_answers_inserted();
--> statement-breakpoint
CREATE FUNCTION expertise_post_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.type = 'answer' THEN
    PERFORM expertise_enqueue(ARRAY[NEW.author_id, OLD.author_id]);
  ELSE
    PERFORM expertise_enqueue(array(SELECT author_id FROM posts WHERE parent_id = NEW.id));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER posts_expertise_update AFTER UPDATE OF deleted_at, space_id, accepted_answer_id, author_id ON posts
  FOR EACH ROW WHEN (OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.space_id IS DISTINCT FROM NEW.space_id
    OR OLD.accepted_answer_id IS DISTINCT FROM NEW.accepted_answer_id OR OLD.author_id IS DISTINCT FROM NEW.author_id)
  EXECUTE FUNCTION expertise_post_changed();
--> statement-breakpoint
CREATE FUNCTION expertise_question_tags_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM expertise_enqueue(array(SELECT a.author_id FROM posts a WHERE a.parent_id IN (SELECT post_id FROM new_rows)));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION expertise_question_tags_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM expertise_enqueue(array(SELECT a.author_id FROM posts a WHERE a.parent_id IN (SELECT post_id FROM old_rows)));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER question_tags_expertise_insert AFTER INSERT ON question_tags REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION expertise_question_tags_inserted();
--> statement-breakpoint
CREATE TRIGGER question_tags_expertise_delete AFTER DELETE ON question_tags REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION expertise_question_tags_deleted();
--> statement-breakpoint
CREATE FUNCTION expertise_ledger_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM expertise_enqueue(array(SELECT user_id FROM new_rows
    WHERE reason IN ('answer_upvoted', 'post_downvoted', 'answer_accepted', 'edit_approved', 'page_verified', 'idea_accepted', 'idea_implemented', 'answer_promoted')));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER reputation_events_expertise AFTER INSERT ON reputation_events REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION expertise_ledger_inserted();
--> statement-breakpoint
CREATE FUNCTION expertise_user_rows_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM expertise_enqueue(array(SELECT user_id FROM new_rows));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION expertise_user_rows_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM expertise_enqueue(array(SELECT user_id FROM old_rows));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER kudos_receivers_expertise AFTER INSERT ON kudos_receivers REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION expertise_user_rows_inserted();
--> statement-breakpoint
CREATE TRIGGER idea_owners_expertise_insert AFTER INSERT ON idea_owners REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION expertise_user_rows_inserted();
--> statement-breakpoint
CREATE TRIGGER idea_owners_expertise_delete AFTER DELETE ON idea_owners REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION expertise_user_rows_deleted();
--> statement-breakpoint
CREATE TRIGGER wiki_page_owners_expertise_insert AFTER INSERT ON wiki_page_owners REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION expertise_user_rows_inserted();
--> statement-breakpoint
CREATE TRIGGER wiki_page_owners_expertise_delete AFTER DELETE ON wiki_page_owners REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION expertise_user_rows_deleted();
--> statement-breakpoint
CREATE TRIGGER user_topics_expertise_insert AFTER INSERT ON user_topics REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION expertise_user_rows_inserted();
--> statement-breakpoint
CREATE TRIGGER user_topics_expertise_update AFTER UPDATE ON user_topics REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION expertise_user_rows_inserted();
--> statement-breakpoint
CREATE TRIGGER user_topics_expertise_delete AFTER DELETE ON user_topics REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION expertise_user_rows_deleted();
--> statement-breakpoint
CREATE FUNCTION expertise_kudos_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM expertise_enqueue(array(SELECT user_id FROM kudos_receivers WHERE kudos_id = NEW.id));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER kudos_expertise_update AFTER UPDATE OF deleted_at, private, subject_item_id, space_id ON kudos
  FOR EACH ROW WHEN (OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.private IS DISTINCT FROM NEW.private
    OR OLD.subject_item_id IS DISTINCT FROM NEW.subject_item_id OR OLD.space_id IS DISTINCT FROM NEW.space_id)
  EXECUTE FUNCTION expertise_kudos_changed();
--> statement-breakpoint
CREATE FUNCTION expertise_idea_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM expertise_enqueue(array(SELECT user_id FROM idea_owners WHERE idea_id = NEW.id));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER ideas_expertise_update AFTER UPDATE OF status, tags, space_id ON ideas
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.tags IS DISTINCT FROM NEW.tags OR OLD.space_id IS DISTINCT FROM NEW.space_id)
  EXECUTE FUNCTION expertise_idea_changed();
--> statement-breakpoint
CREATE FUNCTION expertise_page_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM expertise_enqueue(array(SELECT user_id FROM wiki_page_owners WHERE page_id = NEW.id) || NEW.verified_by_id);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER wiki_pages_expertise_update AFTER UPDATE OF verified_at, tags, space_id, deleted_at ON wiki_pages
  FOR EACH ROW WHEN (OLD.verified_at IS DISTINCT FROM NEW.verified_at OR OLD.tags IS DISTINCT FROM NEW.tags
    OR OLD.space_id IS DISTINCT FROM NEW.space_id OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
  EXECUTE FUNCTION expertise_page_changed();
