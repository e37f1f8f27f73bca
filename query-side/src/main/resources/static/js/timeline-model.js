// Turns → steps → stages, built from the delivered stream events alone (pure: same events, same timeline),
// by the server's rules (TraceProjection, OpenStep, TraceAssembler), so the timeline groups records
// exactly as GET …/trace does:
// - turns start and end with the stream's TURN boundaries; a record belongs to the turn of its _meta.turnId
//   (a record without one, such as feedback, to no turn); a verbose message to the turn open at the time;
// - STEP_ENTER opens a step of its turn; STEP_EXIT / STEP_ERROR closes the innermost open step of the same
//   name (case-insensitive), or the innermost one when the name is blank or matches none; with no open
//   step it closes nothing;
// - any other stage belongs to the innermost open step of its turn, else to the turn outside steps;
// - steps of a turn form a flat list in entry order; the brackets themselves are no step's stages.
// Pinned with the server by the shared fixture test-support/…/fixtures/trace-conversation.json.

const ERROR_STAGE = /ERROR|FAILURE|VIOLATION|INVALID|ABANDONED/;
const WARNING_STAGE = /BLOCK|DENY|MISSING/;
const BRACKETS = new Set(['STEP_ENTER', 'STEP_EXIT', 'STEP_ERROR']);

export function severityOf(event) {
  const { envelope } = event;
  if (envelope.eventType === 'VERBOSE') {
    const level = String(verboseOf(envelope).level || 'INFO').toUpperCase();
    return level === 'ERROR' ? 'error' : level.startsWith('WARN') ? 'warning' : 'info';
  }
  if (ERROR_STAGE.test(envelope.stage)) return 'error';
  if (WARNING_STAGE.test(envelope.stage)) return 'warning';
  return 'info';
}

export function verboseOf(envelope) {
  return envelope.verbose || (envelope.payload && envelope.payload.verbose) || {};
}

function metaOf(envelope) {
  return (envelope.payload && envelope.payload._meta) || {};
}

function newTurn(turnId, index) {
  return {
    key: turnId, index, turnId, outside: false, events: [], items: [], steps: [], openSteps: [],
    stagesOutsideSteps: [], userText: null, output: null, reset: false, intent: null, state: null,
    status: 'RUNNING', outcome: null, end: null, startedAt: null, endedAt: null, errors: 0,
  };
}

function outsideGroup(sequence) {
  return { ...newTurn(`outside-${sequence}`, null), outside: true, status: 'COMPLETED' };
}

function newStep(event, payload) {
  return {
    kind: 'step', key: `step-${event.sequence}`, sequence: event.sequence, startedAt: event.envelope.createdAt,
    name: payload.step ?? null, stepClass: payload.stepClass ?? null, sourceFile: payload.sourceFile ?? null,
    status: 'RUNNING', exitSequence: null, durationMs: null, error: null, outcome: null, items: [], stages: [],
  };
}

// A durationMs that is not a number is treated as absent, as the server (and ConvEngine) does.
function millis(value) {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  return null;
}

// OpenStep.closedBy: the innermost open step of that name, or the innermost one.
function closedBy(openSteps, name) {
  if (openSteps.length === 0) return null;
  const innermostFirst = [...openSteps].reverse();
  if (name && name.trim()) {
    const named = innermostFirst.find((s) => s.name !== null && s.name.toLowerCase() === name.toLowerCase());
    if (named) return named;
  }
  return innermostFirst[0];
}

function closeStep(turn, event, status) {
  const payload = event.envelope.payload || {};
  const step = closedBy(turn.openSteps, payload.step);
  if (!step) return false;
  turn.openSteps.splice(turn.openSteps.indexOf(step), 1);
  step.status = status;
  step.exitSequence = event.sequence;
  step.durationMs = millis(payload.durationMs)
    ?? Date.parse(event.envelope.createdAt) - Date.parse(step.startedAt);
  step.outcome = payload.outcome ?? null;
  step.stepClass = step.stepClass ?? payload.stepClass ?? null;
  step.sourceFile = step.sourceFile ?? payload.sourceFile ?? null;
  if (status === 'ERROR') step.error = payload.errorMessage ?? null;
  return true;
}

function innermost(turn) {
  return turn.openSteps[turn.openSteps.length - 1] || null;
}

function record(turn, event) {
  const { envelope } = event;
  const payload = envelope.payload || {};
  turn.events.push(event);
  turn.startedAt = turn.startedAt || envelope.createdAt;
  if (!turn.end) turn.endedAt = envelope.createdAt;
  const meta = metaOf(envelope);
  turn.intent = meta.intent ?? turn.intent;
  turn.state = meta.state ?? turn.state;
  if (severityOf(event) === 'error') turn.errors += 1;
  const row = { kind: envelope.eventType === 'VERBOSE' ? 'verbose' : 'stage', key: `e-${event.sequence}`, event };
  if (envelope.eventType === 'AUDIT' && envelope.stage === 'STEP_ENTER' && !turn.outside) {
    const step = newStep(event, payload);
    turn.steps.push(step);
    turn.items.push(step);
    turn.openSteps.push(step);
    return;
  }
  if (envelope.eventType === 'AUDIT' && BRACKETS.has(envelope.stage)) {
    if (!turn.outside && closeStep(turn, event, envelope.stage === 'STEP_ERROR' ? 'ERROR' : 'OK')) return;
    turn.items.push(row); // a bracket that closes nothing: shown, but part of no step
    return;
  }
  if (envelope.eventType === 'AUDIT') {
    if (envelope.stage === 'USER_INPUT') turn.userText = payload.text ?? turn.userText;
    if (envelope.stage === 'CONVERSATION_RESET') turn.reset = true;
    if (envelope.stage === 'ASSISTANT_OUTPUT') turn.output = payload.output ?? payload.text ?? JSON.stringify(payload);
  }
  const step = innermost(turn);
  (step ? step.items : turn.items).push(row);
  if (envelope.eventType === 'AUDIT') (step ? step.stages : turn.stagesOutsideSteps).push(event);
}

function boundary(turns, byId, envelope) {
  const payload = envelope.payload || {};
  let turn = byId.get(payload.turnId);
  if (!turn) {
    turn = newTurn(payload.turnId, payload.index ?? turns.filter((t) => !t.outside).length + 1);
    byId.set(payload.turnId, turn);
    turns.push(turn);
  }
  if (envelope.stage === 'TURN_START') {
    turn.index = payload.index ?? turn.index;
    turn.userText = payload.userText ?? turn.userText;
    turn.startedAt = envelope.createdAt;
    return turn;
  }
  turn.status = payload.status;
  turn.outcome = payload.outcome ?? null;
  turn.end = { intent: payload.intent ?? null, state: payload.state ?? null };
  turn.intent = payload.intent ?? turn.intent;
  turn.state = payload.state ?? turn.state;
  turn.endedAt = envelope.createdAt;
  return null;
}

/**
 * `events`: stage and verbose records ({sequence, envelope}) in sequence order; `boundaries`: TURN envelopes
 * ({afterSequence, envelope}), each placed after the record of its afterSequence.
 */
export function buildTimeline(events, boundaries = []) {
  const turns = [];
  const byId = new Map();
  const stages = new Set();
  const ordered = [...boundaries].sort((a, b) => a.afterSequence - b.afterSequence || a.envelope.auditId - b.envelope.auditId);
  let next = 0;
  let open = null;
  let outside = null;
  const boundariesUpTo = (sequence) => {
    while (next < ordered.length && ordered[next].afterSequence <= sequence) {
      const started = boundary(turns, byId, ordered[next].envelope);
      if (started) open = started;
      else if (open && open.status !== 'RUNNING') open = null;
      outside = null;
      next += 1;
    }
  };
  boundariesUpTo(0);
  for (const event of events) {
    boundariesUpTo(event.sequence - 1);
    const { envelope } = event;
    let turn;
    if (envelope.eventType === 'VERBOSE') {
      turn = open;
    } else {
      stages.add(envelope.stage);
      const turnId = metaOf(envelope).turnId || null;
      turn = turnId ? byId.get(turnId) : null;
      if (turnId && !turn) {
        // a turn whose start the stream did not carry (stored before boundaries existed)
        turn = newTurn(turnId, turns.filter((t) => !t.outside).length + 1);
        byId.set(turnId, turn);
        turns.push(turn);
        open = turn;
      }
    }
    if (!turn) {
      if (!outside) {
        outside = outsideGroup(event.sequence);
        turns.push(outside);
      }
      turn = outside;
    }
    record(turn, event);
  }
  boundariesUpTo(events.length ? events[events.length - 1].sequence : 0);
  for (const turn of turns) {
    turn.running = !turn.outside && turn.status === 'RUNNING';
    turn.finished = !turn.running || turn.output !== null;
    turn.durationMs = turn.startedAt && turn.endedAt ? Date.parse(turn.endedAt) - Date.parse(turn.startedAt) : null;
  }
  return { turns, stages: [...stages].sort() };
}

/** The timeline in the shape the shared fixture states for the server's trace: what is grouped where. */
export function traceTreeOf(timeline) {
  const stageNames = (list) => list.map((event) => event.envelope.stage);
  return {
    turns: timeline.turns.filter((turn) => !turn.outside).map((turn) => ({
      index: turn.index,
      status: turn.status,
      outcome: turn.outcome,
      intent: turn.end ? turn.end.intent : null,
      state: turn.end ? turn.end.state : null,
      steps: turn.steps.map((step) => ({ step: step.name, status: step.status, error: step.error, stages: stageNames(step.stages) })),
      stagesOutsideSteps: stageNames(turn.stagesOutsideSteps),
    })),
    stagesOutsideTurns: timeline.turns.filter((turn) => turn.outside)
      .flatMap((group) => group.events.filter((e) => e.envelope.eventType === 'AUDIT' && !BRACKETS.has(e.envelope.stage)))
      .map((event) => event.envelope.stage),
  };
}
