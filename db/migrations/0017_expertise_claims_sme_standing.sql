ALTER TABLE "expertise_outbox" ADD COLUMN "claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tag_smes" ADD COLUMN "standing" double precision;--> statement-breakpoint
CREATE INDEX "users_email_lower_idx" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "users_handle_lower_idx" ON "users" USING btree (split_part(lower("email"), '@', 1));--> statement-breakpoint
-- expertise_outbox.claimed_at: the expertise worker claims people in a short transaction and
-- rebuilds them outside it, so a change (a kudos, an answer) queuing someone never waits for a
-- rebuild. Queuing a person again clears their claim: the worker that claimed them leaves the row
-- when it finishes, and they are rebuilt once more, from a snapshot that has the change.
CREATE OR REPLACE FUNCTION expertise_enqueue(ids integer[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO expertise_outbox (user_id)
  SELECT DISTINCT u FROM unnest(ids) AS u WHERE u IS NOT NULL
  ON CONFLICT (user_id) DO UPDATE SET queued_at = excluded.queued_at, claimed_at = NULL;
  SELECT pg_notify('expertise', '');
$$;
--> statement-breakpoint
-- tag_smes.standing: each SME's standing on the topic from open spaces, as the worker now keeps it.
UPDATE "tag_smes" ts SET "standing" = (
  SELECT sum(es."decayed") FROM "expertise_scores" es JOIN "spaces" sp ON sp."id" = es."space_id" AND sp."visibility" = 'open'
   WHERE es."user_id" = ts."user_id" AND es."tag_id" = ts."tag_id");
