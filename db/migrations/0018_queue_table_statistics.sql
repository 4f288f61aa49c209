-- Queue tables: every row arrives pending and is soon done, so the share of pending rows the
-- planner last saw can be far from the share now. With PostgreSQL's defaults (analyze after 10% of
-- the table changed) the statistics of a young, fast-growing queue say "mostly pending", and a
-- health read (pending or dead) scans every row sent instead of reading the partial indexes:
-- 15 ms against 0.2 ms over 60,000 sent mails, 129 ms on Admin → Mail in the 100,000-question
-- bench. Analyze and vacuum them after a small share of changes instead.
ALTER TABLE "mail_outbox" SET (autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 200, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 500);--> statement-breakpoint
ALTER TABLE "outbox" SET (autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 200, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 500);--> statement-breakpoint
ALTER TABLE "webhook_deliveries" SET (autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 200, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 500);
