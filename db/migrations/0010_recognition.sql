CREATE TYPE "public"."award_nominee_scope" AS ENUM('everyone', 'department');--> statement-breakpoint
CREATE TYPE "public"."badge_tier" AS ENUM('bronze', 'silver', 'gold');--> statement-breakpoint
CREATE TYPE "public"."kudos_account" AS ENUM('allowance', 'earned');--> statement-breakpoint
CREATE TYPE "public"."kudos_entry" AS ENUM('allowance_granted', 'allowance_lapsed', 'given', 'received', 'reversed', 'redeemed', 'redemption_refunded', 'redemption_approved', 'redemption_fulfilled');--> statement-breakpoint
CREATE TYPE "public"."redemption_status" AS ENUM('requested', 'approved', 'fulfilled', 'declined', 'cancelled');--> statement-breakpoint
ALTER TYPE "public"."item_kind" ADD VALUE 'kudos';--> statement-breakpoint
ALTER TYPE "public"."item_kind" ADD VALUE 'badge';--> statement-breakpoint
ALTER TYPE "public"."item_kind" ADD VALUE 'reward';--> statement-breakpoint
ALTER TYPE "public"."item_kind" ADD VALUE 'award_round';--> statement-breakpoint
ALTER TYPE "public"."item_kind" ADD VALUE 'award_nomination';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'kudos';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'badge';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'reward';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'reward_request';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'award';--> statement-breakpoint
CREATE TABLE "award_ballots" (
	"round_id" integer NOT NULL,
	"voter_id" integer NOT NULL,
	CONSTRAINT "award_ballots_round_id_voter_id_pk" PRIMARY KEY("round_id","voter_id")
);
--> statement-breakpoint
CREATE TABLE "award_jurors" (
	"round_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	CONSTRAINT "award_jurors_round_id_user_id_pk" PRIMARY KEY("round_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "award_nominations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "award_nominations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"item_id" integer NOT NULL,
	"space_id" integer NOT NULL,
	"round_id" integer NOT NULL,
	"nominee_id" integer NOT NULL,
	"nominator_id" integer NOT NULL,
	"statement" text NOT NULL,
	"statement_html" text NOT NULL,
	"shortlisted_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"deleted_by_id" integer,
	"submission_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "award_rounds" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "award_rounds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"item_id" integer NOT NULL,
	"space_id" integer NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"description_html" text NOT NULL,
	"reward" text DEFAULT '' NOT NULL,
	"nominee_scope" "award_nominee_scope" DEFAULT 'everyone' NOT NULL,
	"nominee_department" text DEFAULT '' NOT NULL,
	"self_nomination" boolean DEFAULT false NOT NULL,
	"shortlist" boolean DEFAULT false NOT NULL,
	"votes_per_voter" integer DEFAULT 1 NOT NULL,
	"winner_count" integer DEFAULT 1 NOT NULL,
	"nominations_open_at" timestamp with time zone NOT NULL,
	"nominations_close_at" timestamp with time zone NOT NULL,
	"voting_open_at" timestamp with time zone NOT NULL,
	"voting_close_at" timestamp with time zone NOT NULL,
	"results_at" timestamp with time zone NOT NULL,
	"announced_at" timestamp with time zone,
	"nomination_count" integer DEFAULT 0 NOT NULL,
	"ballot_count" integer DEFAULT 0 NOT NULL,
	"created_by_id" integer NOT NULL,
	"submission_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "award_rounds_votes" CHECK ("award_rounds"."votes_per_voter" between 1 and 10 and "award_rounds"."winner_count" between 1 and 10),
	CONSTRAINT "award_rounds_dates" CHECK ("award_rounds"."nominations_open_at" <= "award_rounds"."nominations_close_at" and "award_rounds"."nominations_close_at" <= "award_rounds"."voting_open_at" and "award_rounds"."voting_open_at" <= "award_rounds"."voting_close_at" and "award_rounds"."voting_close_at" <= "award_rounds"."results_at")
);
--> statement-breakpoint
CREATE TABLE "award_tallies" (
	"round_id" integer NOT NULL,
	"nominee_id" integer NOT NULL,
	"votes" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "award_tallies_round_id_nominee_id_pk" PRIMARY KEY("round_id","nominee_id"),
	CONSTRAINT "award_tallies_votes" CHECK ("award_tallies"."votes" >= 0)
);
--> statement-breakpoint
CREATE TABLE "badge_awards" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_awards_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"badge_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"tag_id" integer,
	"value_id" integer,
	"subject_item_id" integer,
	"reason" text DEFAULT '' NOT NULL,
	"awarded_by_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "badges" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badges_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"item_id" integer NOT NULL,
	"space_id" integer NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"tier" "badge_tier" NOT NULL,
	"rule" text,
	"created_by_id" integer,
	"holder_count" integer DEFAULT 0 NOT NULL,
	"award_count" integer DEFAULT 0 NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "company_values" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "company_values_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"emoji" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kudos" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "kudos_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"item_id" integer NOT NULL,
	"space_id" integer NOT NULL,
	"giver_id" integer NOT NULL,
	"value_id" integer NOT NULL,
	"message" text NOT NULL,
	"message_html" text NOT NULL,
	"subject_item_id" integer,
	"private" boolean DEFAULT false NOT NULL,
	"points_each" integer NOT NULL,
	"total_points" integer DEFAULT 0 NOT NULL,
	"receiver_count" integer DEFAULT 1 NOT NULL,
	"add_on_count" integer DEFAULT 0 NOT NULL,
	"plus_one_count" integer DEFAULT 0 NOT NULL,
	"comment_count" integer DEFAULT 0 NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_by_id" integer,
	"deleted_reason" text DEFAULT '' NOT NULL,
	"submission_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kudos_points_each" CHECK ("kudos"."points_each" >= 0)
);
--> statement-breakpoint
CREATE TABLE "kudos_allowance_periods" (
	"user_id" integer NOT NULL,
	"period" date NOT NULL,
	"granted" integer NOT NULL,
	"spent" integer DEFAULT 0 NOT NULL,
	"lapsed_at" timestamp with time zone,
	CONSTRAINT "kudos_allowance_periods_user_id_period_pk" PRIMARY KEY("user_id","period"),
	CONSTRAINT "kudos_allowance_periods_spent" CHECK ("kudos_allowance_periods"."spent" >= 0 and "kudos_allowance_periods"."spent" <= "kudos_allowance_periods"."granted")
);
--> statement-breakpoint
CREATE TABLE "kudos_allowance_rules" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "kudos_allowance_rules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"role" "user_role",
	"department" text,
	"points" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kudos_allowance_rules_one_scope" CHECK (num_nonnulls("kudos_allowance_rules"."role", "kudos_allowance_rules"."department") <= 1),
	CONSTRAINT "kudos_allowance_rules_points" CHECK ("kudos_allowance_rules"."points" between 0 and 100000)
);
--> statement-breakpoint
CREATE TABLE "kudos_balances" (
	"user_id" integer PRIMARY KEY NOT NULL,
	"earned" integer DEFAULT 0 NOT NULL,
	"received_total" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kudos_balances_earned" CHECK ("kudos_balances"."earned" >= 0)
);
--> statement-breakpoint
CREATE TABLE "kudos_gifts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "kudos_gifts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kudos_id" integer NOT NULL,
	"giver_id" integer NOT NULL,
	"points_each" integer NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"reversed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kudos_gifts_points" CHECK ("kudos_gifts"."points_each" >= 0)
);
--> statement-breakpoint
CREATE TABLE "kudos_ledger" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "kudos_ledger_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" integer NOT NULL,
	"account" "kudos_account" NOT NULL,
	"entry" "kudos_entry" NOT NULL,
	"points" integer NOT NULL,
	"period" date,
	"kudos_id" integer,
	"gift_id" integer,
	"redemption_id" integer,
	"actor_id" integer,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kudos_receivers" (
	"kudos_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kudos_receivers_kudos_id_user_id_pk" PRIMARY KEY("kudos_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "reward_redemptions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reward_redemptions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"reward_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"cost" integer NOT NULL,
	"status" "redemption_status" DEFAULT 'requested' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"handled_by_id" integer,
	"approved_at" timestamp with time zone,
	"fulfilled_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"submission_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rewards" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rewards_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"item_id" integer NOT NULL,
	"space_id" integer NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"cost" integer NOT NULL,
	"stock" integer,
	"active" boolean DEFAULT true NOT NULL,
	"created_by_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rewards_cost" CHECK ("rewards"."cost" > 0),
	CONSTRAINT "rewards_stock" CHECK ("rewards"."stock" is null or "rewards"."stock" >= 0)
);
--> statement-breakpoint
ALTER TABLE "spaces" ADD COLUMN "company_wide" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "award_ballots" ADD CONSTRAINT "award_ballots_round_id_award_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."award_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "award_ballots" ADD CONSTRAINT "award_ballots_voter_id_users_id_fk" FOREIGN KEY ("voter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "award_jurors" ADD CONSTRAINT "award_jurors_round_id_award_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."award_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "award_jurors" ADD CONSTRAINT "award_jurors_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "award_nominations" ADD CONSTRAINT "award_nominations_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "award_nominations" ADD CONSTRAINT "award_nominations_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "award_nominations" ADD CONSTRAINT "award_nominations_round_id_award_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."award_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "award_nominations" ADD CONSTRAINT "award_nominations_nominee_id_users_id_fk" FOREIGN KEY ("nominee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "award_nominations" ADD CONSTRAINT "award_nominations_nominator_id_users_id_fk" FOREIGN KEY ("nominator_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "award_nominations" ADD CONSTRAINT "award_nominations_deleted_by_id_users_id_fk" FOREIGN KEY ("deleted_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "award_rounds" ADD CONSTRAINT "award_rounds_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "award_rounds" ADD CONSTRAINT "award_rounds_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "award_rounds" ADD CONSTRAINT "award_rounds_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "award_tallies" ADD CONSTRAINT "award_tallies_round_id_award_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."award_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "award_tallies" ADD CONSTRAINT "award_tallies_nominee_id_users_id_fk" FOREIGN KEY ("nominee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_awards" ADD CONSTRAINT "badge_awards_badge_id_badges_id_fk" FOREIGN KEY ("badge_id") REFERENCES "public"."badges"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_awards" ADD CONSTRAINT "badge_awards_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_awards" ADD CONSTRAINT "badge_awards_tag_id_tags_id_fk" FOREIGN KEY ("tag_id") REFERENCES "public"."tags"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_awards" ADD CONSTRAINT "badge_awards_value_id_company_values_id_fk" FOREIGN KEY ("value_id") REFERENCES "public"."company_values"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_awards" ADD CONSTRAINT "badge_awards_subject_item_id_items_id_fk" FOREIGN KEY ("subject_item_id") REFERENCES "public"."items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_awards" ADD CONSTRAINT "badge_awards_awarded_by_id_users_id_fk" FOREIGN KEY ("awarded_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badges" ADD CONSTRAINT "badges_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "badges" ADD CONSTRAINT "badges_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badges" ADD CONSTRAINT "badges_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kudos" ADD CONSTRAINT "kudos_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "kudos" ADD CONSTRAINT "kudos_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kudos" ADD CONSTRAINT "kudos_giver_id_users_id_fk" FOREIGN KEY ("giver_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kudos" ADD CONSTRAINT "kudos_value_id_company_values_id_fk" FOREIGN KEY ("value_id") REFERENCES "public"."company_values"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kudos" ADD CONSTRAINT "kudos_subject_item_id_items_id_fk" FOREIGN KEY ("subject_item_id") REFERENCES "public"."items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kudos" ADD CONSTRAINT "kudos_deleted_by_id_users_id_fk" FOREIGN KEY ("deleted_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kudos_allowance_periods" ADD CONSTRAINT "kudos_allowance_periods_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kudos_balances" ADD CONSTRAINT "kudos_balances_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kudos_gifts" ADD CONSTRAINT "kudos_gifts_kudos_id_kudos_id_fk" FOREIGN KEY ("kudos_id") REFERENCES "public"."kudos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kudos_gifts" ADD CONSTRAINT "kudos_gifts_giver_id_users_id_fk" FOREIGN KEY ("giver_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kudos_ledger" ADD CONSTRAINT "kudos_ledger_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kudos_ledger" ADD CONSTRAINT "kudos_ledger_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kudos_receivers" ADD CONSTRAINT "kudos_receivers_kudos_id_kudos_id_fk" FOREIGN KEY ("kudos_id") REFERENCES "public"."kudos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kudos_receivers" ADD CONSTRAINT "kudos_receivers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_redemptions" ADD CONSTRAINT "reward_redemptions_reward_id_rewards_id_fk" FOREIGN KEY ("reward_id") REFERENCES "public"."rewards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_redemptions" ADD CONSTRAINT "reward_redemptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_redemptions" ADD CONSTRAINT "reward_redemptions_handled_by_id_users_id_fk" FOREIGN KEY ("handled_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "award_nominations_item_key" ON "award_nominations" USING btree ("item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "award_nominations_round_nominee_nominator_key" ON "award_nominations" USING btree ("round_id","nominee_id","nominator_id");--> statement-breakpoint
CREATE INDEX "award_nominations_round_idx" ON "award_nominations" USING btree ("round_id","nominee_id");--> statement-breakpoint
CREATE UNIQUE INDEX "award_nominations_nominator_submission_key" ON "award_nominations" USING btree ("nominator_id","submission_key");--> statement-breakpoint
CREATE UNIQUE INDEX "award_rounds_item_key" ON "award_rounds" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "award_rounds_results_idx" ON "award_rounds" USING btree ("results_at");--> statement-breakpoint
CREATE UNIQUE INDEX "award_rounds_creator_submission_key" ON "award_rounds" USING btree ("created_by_id","submission_key");--> statement-breakpoint
CREATE UNIQUE INDEX "badge_awards_key" ON "badge_awards" USING btree ("badge_id","user_id","subject");--> statement-breakpoint
CREATE INDEX "badge_awards_user_idx" ON "badge_awards" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "badge_awards_badge_idx" ON "badge_awards" USING btree ("badge_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "badges_item_key" ON "badges" USING btree ("item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "badges_rule_key" ON "badges" USING btree ("rule") WHERE "badges"."rule" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "badges_name_key" ON "badges" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "company_values_name_key" ON "company_values" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "kudos_item_key" ON "kudos" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "kudos_feed_idx" ON "kudos" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "kudos"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "kudos_space_feed_idx" ON "kudos" USING btree ("space_id","created_at" DESC NULLS LAST) WHERE "kudos"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "kudos_giver_idx" ON "kudos" USING btree ("giver_id","created_at");--> statement-breakpoint
CREATE INDEX "kudos_subject_idx" ON "kudos" USING btree ("subject_item_id") WHERE "kudos"."subject_item_id" is not null;--> statement-breakpoint
CREATE INDEX "kudos_value_idx" ON "kudos" USING btree ("value_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "kudos_giver_submission_key" ON "kudos" USING btree ("giver_id","submission_key");--> statement-breakpoint
CREATE INDEX "kudos_allowance_periods_unlapsed_idx" ON "kudos_allowance_periods" USING btree ("period") WHERE "kudos_allowance_periods"."lapsed_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "kudos_allowance_rules_role_key" ON "kudos_allowance_rules" USING btree ("role") WHERE "kudos_allowance_rules"."role" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "kudos_allowance_rules_department_key" ON "kudos_allowance_rules" USING btree (lower("department")) WHERE "kudos_allowance_rules"."department" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "kudos_allowance_rules_default_key" ON "kudos_allowance_rules" USING btree ((true)) WHERE "kudos_allowance_rules"."role" is null and "kudos_allowance_rules"."department" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "kudos_gifts_kudos_giver_key" ON "kudos_gifts" USING btree ("kudos_id","giver_id");--> statement-breakpoint
CREATE INDEX "kudos_gifts_giver_idx" ON "kudos_gifts" USING btree ("giver_id");--> statement-breakpoint
CREATE INDEX "kudos_ledger_user_idx" ON "kudos_ledger" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "kudos_ledger_kudos_idx" ON "kudos_ledger" USING btree ("kudos_id");--> statement-breakpoint
CREATE INDEX "kudos_receivers_user_idx" ON "kudos_receivers" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "reward_redemptions_user_idx" ON "reward_redemptions" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "reward_redemptions_open_idx" ON "reward_redemptions" USING btree ("created_at") WHERE "reward_redemptions"."status" in ('requested', 'approved');--> statement-breakpoint
CREATE UNIQUE INDEX "reward_redemptions_user_submission_key" ON "reward_redemptions" USING btree ("user_id","submission_key");--> statement-breakpoint
CREATE UNIQUE INDEX "rewards_item_key" ON "rewards" USING btree ("item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "spaces_company_wide_key" ON "spaces" USING btree ("company_wide") WHERE "spaces"."company_wide";--> statement-breakpoint
-- Recognition's kinds of content get their items from the same triggers as every kind (decision 009).
CREATE TRIGGER "kudos_item_reserve" BEFORE INSERT ON "kudos" FOR EACH ROW EXECUTE FUNCTION "content_item_reserve"();--> statement-breakpoint
CREATE TRIGGER "kudos_item_insert" AFTER INSERT ON "kudos" FOR EACH ROW EXECUTE FUNCTION "content_item_insert"('kudos');--> statement-breakpoint
CREATE TRIGGER "kudos_item_move" AFTER UPDATE OF "space_id" ON "kudos" FOR EACH ROW WHEN (OLD.space_id IS DISTINCT FROM NEW.space_id) EXECUTE FUNCTION "content_item_move"();--> statement-breakpoint
CREATE TRIGGER "kudos_item_delete" AFTER DELETE ON "kudos" FOR EACH ROW EXECUTE FUNCTION "content_item_delete"();--> statement-breakpoint
CREATE TRIGGER "rewards_item_reserve" BEFORE INSERT ON "rewards" FOR EACH ROW EXECUTE FUNCTION "content_item_reserve"();--> statement-breakpoint
CREATE TRIGGER "rewards_item_insert" AFTER INSERT ON "rewards" FOR EACH ROW EXECUTE FUNCTION "content_item_insert"('reward');--> statement-breakpoint
CREATE TRIGGER "rewards_item_move" AFTER UPDATE OF "space_id" ON "rewards" FOR EACH ROW WHEN (OLD.space_id IS DISTINCT FROM NEW.space_id) EXECUTE FUNCTION "content_item_move"();--> statement-breakpoint
CREATE TRIGGER "rewards_item_delete" AFTER DELETE ON "rewards" FOR EACH ROW EXECUTE FUNCTION "content_item_delete"();--> statement-breakpoint
CREATE TRIGGER "badges_item_reserve" BEFORE INSERT ON "badges" FOR EACH ROW EXECUTE FUNCTION "content_item_reserve"();--> statement-breakpoint
CREATE TRIGGER "badges_item_insert" AFTER INSERT ON "badges" FOR EACH ROW EXECUTE FUNCTION "content_item_insert"('badge');--> statement-breakpoint
CREATE TRIGGER "badges_item_move" AFTER UPDATE OF "space_id" ON "badges" FOR EACH ROW WHEN (OLD.space_id IS DISTINCT FROM NEW.space_id) EXECUTE FUNCTION "content_item_move"();--> statement-breakpoint
CREATE TRIGGER "badges_item_delete" AFTER DELETE ON "badges" FOR EACH ROW EXECUTE FUNCTION "content_item_delete"();--> statement-breakpoint
CREATE TRIGGER "award_rounds_item_reserve" BEFORE INSERT ON "award_rounds" FOR EACH ROW EXECUTE FUNCTION "content_item_reserve"();--> statement-breakpoint
CREATE TRIGGER "award_rounds_item_insert" AFTER INSERT ON "award_rounds" FOR EACH ROW EXECUTE FUNCTION "content_item_insert"('award_round');--> statement-breakpoint
CREATE TRIGGER "award_rounds_item_move" AFTER UPDATE OF "space_id" ON "award_rounds" FOR EACH ROW WHEN (OLD.space_id IS DISTINCT FROM NEW.space_id) EXECUTE FUNCTION "content_item_move"();--> statement-breakpoint
CREATE TRIGGER "award_rounds_item_delete" AFTER DELETE ON "award_rounds" FOR EACH ROW EXECUTE FUNCTION "content_item_delete"();--> statement-breakpoint
CREATE TRIGGER "award_nominations_item_reserve" BEFORE INSERT ON "award_nominations" FOR EACH ROW EXECUTE FUNCTION "content_item_reserve"();--> statement-breakpoint
CREATE TRIGGER "award_nominations_item_insert" AFTER INSERT ON "award_nominations" FOR EACH ROW EXECUTE FUNCTION "content_item_insert"('award_nomination');--> statement-breakpoint
CREATE TRIGGER "award_nominations_item_move" AFTER UPDATE OF "space_id" ON "award_nominations" FOR EACH ROW WHEN (OLD.space_id IS DISTINCT FROM NEW.space_id) EXECUTE FUNCTION "content_item_move"();--> statement-breakpoint
CREATE TRIGGER "award_nominations_item_delete" AFTER DELETE ON "award_nominations" FOR EACH ROW EXECUTE FUNCTION "content_item_delete"();--> statement-breakpoint
CREATE TRIGGER "kudos_item_soft_delete" AFTER UPDATE OF "deleted_at" ON "kudos" FOR EACH ROW WHEN (OLD.deleted_at IS DISTINCT FROM NEW.deleted_at) EXECUTE FUNCTION "content_item_soft_delete"();--> statement-breakpoint
CREATE TRIGGER "award_nominations_item_soft_delete" AFTER UPDATE OF "deleted_at" ON "award_nominations" FOR EACH ROW WHEN (OLD.deleted_at IS DISTINCT FROM NEW.deleted_at) EXECUTE FUNCTION "content_item_soft_delete"();--> statement-breakpoint
-- The kudos ledger is append only: a correction is a new entry, so history is never rewritten.
CREATE FUNCTION "kudos_ledger_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'kudos_ledger is append-only: write a new entry instead' USING ERRCODE = 'restrict_violation';
END $$;--> statement-breakpoint
CREATE TRIGGER "kudos_ledger_append_only" BEFORE UPDATE OR DELETE ON "kudos_ledger" FOR EACH ROW EXECUTE FUNCTION "kudos_ledger_append_only"();--> statement-breakpoint
-- The company's default monthly allowance (admins change it, and add rules per role or department).
INSERT INTO "kudos_allowance_rules" ("points") VALUES (100);--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "gold_badges" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "silver_badges" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "bronze_badges" integer DEFAULT 0 NOT NULL;
