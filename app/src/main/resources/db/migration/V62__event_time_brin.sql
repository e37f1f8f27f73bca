-- A time-window export finds the conversations with an event in [from, to) by the time each event was
-- stored. Axon keeps that time as text (ISO-8601 in UTC, e.g. 2026-12-03T07:21:23.123Z), so without an
-- index the window read every stored event before its first row (36 s for 3.7 million events, past the
-- driver's 30 s socket timeout).
--
-- BRIN, not a B-tree: events are appended in time order, so each 128-page range of the table holds a
-- narrow span of times, and the index is tiny (one entry per range) with next to no cost on an append;
-- autosummarize folds each range in as it fills (until then, a new range is simply read). On the text
-- itself, in "C" order, not on a cast to timestamptz: the cast is only STABLE, so an index needs it
-- wrapped in a function declared IMMUTABLE, which PostgreSQL then runs for every appended event (3-6 us
-- each, 0.15-0.25 ms of a turn's 42 events, measured; the text costs nothing). Axon writes a fixed
-- three-digit fraction, so the text sorts as the time does; the export asks for the window's whole seconds
-- as text, then keeps the exact times (EventPositions.WINDOW_CONVERSATIONS), which holds for any UTC
-- ISO-8601 text (Instant.toString()'s too, which drops a fraction's trailing zeros).
--
-- Built inside this migration's transaction, which holds off appends while it reads the table once
-- (docs/operations.md, "Upgrading"). IF NOT EXISTS: an operator may have built it beforehand,
-- CONCURRENTLY, to keep appends going (the same page says how).
CREATE INDEX IF NOT EXISTS domainevententry_stored_at_brin ON domainevententry
    USING brin ("timestamp" COLLATE "C") WITH (pages_per_range = 128, autosummarize = on);
