-- A time-window export finds the conversations with an event in [from, to) by the time each event was
-- stored. Axon keeps that time as text (Instant.toString()), so without an index the window read every
-- stored event before its first row (36 s for 3.7 million events, past the driver's 30 s socket timeout).
--
-- The cast text -> timestamptz is only STABLE in PostgreSQL (it reads TimeZone for an input without an
-- offset), so it cannot be indexed as it is. Axon writes Instant.toString(), always in UTC with a 'Z'
-- (e.g. 2026-12-03T07:21:23.123456Z), so here its result never depends on TimeZone or DateStyle and the
-- function may honestly be IMMUTABLE. Queries must call it by name to use the index.
CREATE OR REPLACE FUNCTION event_stored_at(varchar) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS 'SELECT $1::timestamptz';

-- BRIN, not a B-tree: events are appended in time order, so each 128-page range of the table holds a
-- narrow span of times, and the index is tiny (96 kB for 3.7 million events, one entry per range)
-- with next to no cost on an append; autosummarize folds each range in as it fills (until then, a new
-- range is simply read). Built inside this migration's transaction, which holds off appends while it
-- reads the table once (docs/operations.md, "Upgrading"). OR REPLACE and IF NOT EXISTS: an operator may
-- have built both beforehand, the index CONCURRENTLY, to keep appends going (the same page says how).
CREATE INDEX IF NOT EXISTS domainevententry_stored_at_brin ON domainevententry
    USING brin (event_stored_at(timestamp)) WITH (pages_per_range = 128, autosummarize = on);
