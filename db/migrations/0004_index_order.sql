DROP INDEX "notifications_user_time_idx";--> statement-breakpoint
DROP INDEX "posts_questions_created_idx";--> statement-breakpoint
DROP INDEX "posts_questions_space_created_idx";--> statement-breakpoint
DROP INDEX "posts_questions_activity_idx";--> statement-breakpoint
CREATE INDEX "notifications_user_time_idx" ON "notifications" USING btree ("user_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "posts_questions_created_idx" ON "posts" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "posts"."type" = 'question' and "posts"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "posts_questions_space_created_idx" ON "posts" USING btree ("space_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "posts"."type" = 'question' and "posts"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "posts_questions_activity_idx" ON "posts" USING btree ("last_activity_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "posts"."type" = 'question' and "posts"."deleted_at" is null;