\pset footer off
-- per append transaction
WITH a AS (
  SELECT xmin::text::bigint AS x, count(*) n, pg_xact_commit_timestamp(xmin) ts FROM domainevententry WHERE pg_xact_commit_timestamp(xmin) BETWEEN '2026-12-03 17:48:46.296+00' AND '2026-12-03 17:49:06.301+00' GROUP BY xmin
)
SELECT 'append commits' what, count(*) commits, round(avg(n),1) avg_events, percentile_cont(0.5) WITHIN GROUP (ORDER BY n) p50_events FROM a;
-- per audit batch
WITH b AS (
  SELECT ae.xmin::text::bigint bx, min(pg_xact_commit_timestamp(ae.xmin)) bts, count(*) n,
         min(pg_xact_commit_timestamp(d.xmin)) first_ev, max(pg_xact_commit_timestamp(d.xmin)) last_ev,
         count(DISTINCT d.xmin::text) appends
  FROM audit_event ae JOIN domainevententry d ON d.globalindex = ae.audit_id
  WHERE pg_xact_commit_timestamp(d.xmin) BETWEEN '2026-12-03 17:48:46.296+00' AND '2026-12-03 17:49:06.301+00'
  GROUP BY ae.xmin::text::bigint
), m AS (
  SELECT n, appends, extract(epoch FROM bts - last_ev)*1000 after_last_ms, extract(epoch FROM bts - first_ev)*1000 after_first_ms,
         extract(epoch FROM bts - lag(bts) OVER (ORDER BY bts))*1000 since_prev_batch_ms FROM b
)
SELECT 'audit batches' what, count(*) batches, round(avg(n),1) avg_rows, round(avg(appends),2) avg_appends,
  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY after_last_ms)::numeric,2) p50_after_last_ms,
  round(percentile_cont(0.9) WITHIN GROUP (ORDER BY after_last_ms)::numeric,2) p90_after_last_ms,
  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY after_first_ms)::numeric,2) p50_after_first_ms,
  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY since_prev_batch_ms)::numeric,2) p50_since_prev_ms FROM m;
-- per event: event commit -> audit commit
SELECT 'event lag' what, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY l)::numeric,2) p50, round(percentile_cont(0.9) WITHIN GROUP (ORDER BY l)::numeric,2) p90, round(percentile_cont(0.99) WITHIN GROUP (ORDER BY l)::numeric,2) p99
FROM (SELECT extract(epoch FROM pg_xact_commit_timestamp(ae.xmin) - pg_xact_commit_timestamp(d.xmin))*1000 l
      FROM audit_event ae JOIN domainevententry d ON d.globalindex = ae.audit_id WHERE pg_xact_commit_timestamp(d.xmin) BETWEEN '2026-12-03 17:48:46.296+00' AND '2026-12-03 17:49:06.301+00') s;
-- trace stage batches vs audit
SELECT 'trace batches' what, count(*) batches, round(avg(n),1) avg_rows FROM (SELECT ts.xmin, count(*) n FROM trace_stage ts JOIN domainevententry d ON d.globalindex = ts.audit_id WHERE pg_xact_commit_timestamp(d.xmin) BETWEEN '2026-12-03 17:48:46.296+00' AND '2026-12-03 17:49:06.301+00' GROUP BY ts.xmin) t;
-- event commit -> trace stage commit
SELECT 'trace lag' what, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY l)::numeric,2) p50, round(percentile_cont(0.99) WITHIN GROUP (ORDER BY l)::numeric,2) p99
FROM (SELECT extract(epoch FROM pg_xact_commit_timestamp(ts.xmin) - pg_xact_commit_timestamp(d.xmin))*1000 l
      FROM trace_stage ts JOIN domainevententry d ON d.globalindex = ts.audit_id WHERE pg_xact_commit_timestamp(d.xmin) BETWEEN '2026-12-03 17:48:46.296+00' AND '2026-12-03 17:49:06.301+00') s;
