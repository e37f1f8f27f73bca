-- The paged trace (GET .../trace?fromTurn=&turns=) reads the steps and stages of a few turns: by
-- turn, so that a page costs the same in a conversation of 10 turns and of 10,000. The cost is one
-- more index entry per trace_step and trace_stage row the trace projection writes.
CREATE INDEX trace_step_turn_idx ON trace_step (turn_id, step_id);
CREATE INDEX trace_stage_turn_idx ON trace_stage (turn_id, audit_id);
