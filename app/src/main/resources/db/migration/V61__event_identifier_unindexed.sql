-- Axon's default schema keeps a unique index on eventidentifier, a random UUID per event: every append
-- wrote one more B-tree entry per event at a random place in a growing index (its pages are touched
-- once each, far apart, and logged in full after every checkpoint), and no query of convtrail's reads
-- it (Axon's JDBC engine finds events by global index or by aggregate and sequence; the quarantine finds
-- a held event's position on the (aggregateidentifier, sequencenumber) key). The identifiers stay
-- unique as Axon makes them (random UUIDs); the keys that order and guard the store stay: the global
-- index and (aggregateidentifier, sequencenumber), on which a concurrent append still conflicts.
ALTER TABLE domainevententry DROP CONSTRAINT domainevententry_eventidentifier_key;
