CREATE TYPE "public"."import_run_status" AS ENUM('running', 'done', 'failed');--> statement-breakpoint
ALTER TYPE "public"."reputation_reason" ADD VALUE 'imported';--> statement-breakpoint
CREATE TABLE "import_runs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "import_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"space_id" integer NOT NULL,
	"started_by_id" integer,
	"status" "import_run_status" DEFAULT 'running' NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"checkpoint" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"problems" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "imported_profiles" (
	"import_key" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"source" text NOT NULL,
	"source_url" text NOT NULL,
	"display_name" text NOT NULL,
	"source_reputation" integer DEFAULT 0 NOT NULL,
	"claimed_at" timestamp with time zone,
	"claimed_by_id" integer,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "import_key" text;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "import_key" text;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "source_url" text;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "source_author" text;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "source_license" text;--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_started_by_id_users_id_fk" FOREIGN KEY ("started_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imported_profiles" ADD CONSTRAINT "imported_profiles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imported_profiles" ADD CONSTRAINT "imported_profiles_claimed_by_id_users_id_fk" FOREIGN KEY ("claimed_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_runs_source_idx" ON "import_runs" USING btree ("kind","source","started_at");--> statement-breakpoint
CREATE INDEX "imported_profiles_user_idx" ON "imported_profiles" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "comments_import_key" ON "comments" USING btree ("import_key");--> statement-breakpoint
CREATE UNIQUE INDEX "posts_import_key" ON "posts" USING btree ("import_key");