-- A stage is written twice (audit_event and trace_stage) and each row fed three B-trees: its auditId key,
-- (conversation_id, audit_id) and one more. Every query of these rows names the conversation (the live
-- trace's "stored already?" lookup gives it too), so the key becomes (conversation_id, audit_id) and the
-- separate conversation index goes: one B-tree entry less per row, the same order and ranges. A duplicate
-- still conflicts (an event's auditId has one conversation), which is what the inserts' ON CONFLICT and a
-- replay's copy rely on.
ALTER TABLE audit_event DROP CONSTRAINT audit_event_pkey;
DROP INDEX audit_event_conversation_audit_idx;
ALTER TABLE audit_event ADD CONSTRAINT audit_event_pkey PRIMARY KEY (conversation_id, audit_id);

ALTER TABLE trace_stage DROP CONSTRAINT trace_stage_pkey;
DROP INDEX trace_stage_conversation_idx;
ALTER TABLE trace_stage ADD CONSTRAINT trace_stage_pkey PRIMARY KEY (conversation_id, audit_id);

-- text, as audit_event.payload_json: PostgreSQL parsed every copied payload to validate it as json (the
-- projection writes what the event carries, produced as JSON by the engine); the bytes stored and returned
-- are the same.
ALTER TABLE trace_stage ALTER COLUMN payload TYPE text;
