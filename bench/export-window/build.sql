-- The synthetic store of docs/performance.md, "The time-window export on a time index": run in a scratch database
-- after the event table's migrations V1 and V61 (the commands are there).
\timing on
-- 3.7 M events, one every 0.2 s (8.6 days); blocks of 3,000 events hold 100 interleaved conversations of 30 events (10 minutes each)
INSERT INTO domainevententry (aggregateidentifier, sequencenumber, type, eventidentifier, metadata, payload, payloadrevision, payloadtype, timestamp)
SELECT md5('c' || ((i % 100) + 100 * (i / 3000))::text)::uuid::text,
       (i / 100) % 30,
       'ConversationAggregate',
       md5('e' || i)::uuid::text,
       convert_to('{"traceId":"' || md5('t' || i) || '"}', 'UTF8'),
       convert_to(repeat(md5(i::text), 12), 'UTF8'),
       NULL,
       CASE WHEN (i / 100) % 10 = 0 THEN 'io.convtrail.api.event.TurnStartedEvent'
            WHEN (i / 100) % 10 = 9 THEN 'io.convtrail.api.event.VerboseRecordedEvent'
            ELSE 'io.convtrail.api.event.StageRecordedEvent' END,
       to_char(timestamptz '2026-11-01 00:00:00+00' + i * interval '200 milliseconds' + (i % 1000) * interval '1 microsecond', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
FROM generate_series(0, 3699999) i ORDER BY i;
VACUUM ANALYZE domainevententry;
SELECT pg_size_pretty(pg_relation_size('domainevententry')), count(*) FROM domainevententry;
