// Turns → steps → stages, built from the delivered stream events alone (pure: same events, same timeline).

const ERROR_STAGE = /ERROR|FAILURE|VIOLATION|INVALID|ABANDONED/;
const WARNING_STAGE = /BLOCK|DENY|MISSING/;

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

function newTurn(index, turnId) {
  return {
    key: turnId || `turn-${index}`, index, turnId, events: [], items: [], openSteps: [],
    userText: null, output: null, reset: false, intent: null, state: null,
    startedAt: null, endedAt: null, errors: 0, finished: false,
  };
}

function newStep(event, payload) {
  return {
    kind: 'step', key: `step-${event.sequence}`, sequence: event.sequence,
    name: payload.step || payload.stepClass || 'step', stepClass: payload.stepClass, sourceFile: payload.sourceFile,
    status: 'RUNNING', exitSequence: null, durationMs: null, error: null, outcome: null, items: [],
  };
}

// Closes the innermost open step of that name; false when none is open (the bracket is then shown as a row).
function closeStep(turn, event, status) {
  const payload = event.envelope.payload || {};
  const name = payload.step || payload.stepClass;
  const at = turn.openSteps.map((s) => s.name).lastIndexOf(name);
  if (at < 0) return false;
  const step = turn.openSteps[at];
  turn.openSteps.length = at;
  step.status = status;
  step.durationMs = payload.durationMs ?? null;
  step.outcome = payload.outcome ?? null;
  if (status === 'OK') step.exitSequence = event.sequence;
  else step.error = [payload.errorType, payload.errorMessage].filter(Boolean).join(': ') || 'error';
  return true;
}

function place(turn, node) {
  const open = turn.openSteps[turn.openSteps.length - 1];
  (open ? open.items : turn.items).push(node);
}

function note(turn, event) {
  const { envelope } = event;
  const payload = envelope.payload || {};
  const meta = metaOf(envelope);
  turn.events.push(event);
  turn.startedAt = turn.startedAt || envelope.createdAt;
  turn.endedAt = envelope.createdAt;
  turn.intent = meta.intent ?? turn.intent;
  turn.state = meta.state ?? turn.state;
  if (severityOf(event) === 'error') turn.errors += 1;
  switch (envelope.stage) {
    case 'STEP_ENTER': {
      const step = newStep(event, payload);
      place(turn, step);
      turn.openSteps.push(step);
      return;
    }
    case 'STEP_EXIT': if (closeStep(turn, event, 'OK')) return; break;
    case 'STEP_ERROR':
      place(turn, { kind: 'stage', key: `e-${event.sequence}`, event });
      closeStep(turn, event, 'ERROR');
      return;
    case 'USER_INPUT': turn.userText = payload.text ?? turn.userText; break;
    case 'CONVERSATION_RESET': turn.reset = true; break;
    case 'ASSISTANT_OUTPUT':
      turn.output = payload.output ?? payload.text ?? JSON.stringify(payload);
      turn.finished = true;
      break;
    case 'ENGINE_RETURN':
    case 'PIPELINE_TIMING':
    case 'TURN_ABANDONED': turn.finished = true; break;
    default:
  }
  place(turn, { kind: envelope.eventType === 'VERBOSE' ? 'verbose' : 'stage', key: `e-${event.sequence}`, event });
}

/** `events` in sequence order; an event without a turnId (feedback, verbose) belongs to the turn it followed. */
export function buildTimeline(events) {
  const turns = [];
  const stages = new Set();
  let current = null;
  for (const event of events) {
    const turnId = metaOf(event.envelope).turnId || null;
    if (!current || (turnId && turnId !== current.turnId && current.turnId !== null)) {
      current = newTurn(turns.length + 1, turnId);
      turns.push(current);
    } else if (turnId && current.turnId === null) {
      current.turnId = turnId;
    }
    if (event.envelope.eventType === 'AUDIT') stages.add(event.envelope.stage);
    note(current, event);
  }
  const last = turns[turns.length - 1];
  for (const turn of turns) {
    turn.running = turn.openSteps.length > 0 || (turn === last && !turn.finished && turn.errors === 0);
    turn.durationMs = turn.startedAt && turn.endedAt ? Date.parse(turn.endedAt) - Date.parse(turn.startedAt) : null;
  }
  return { turns, stages: [...stages].sort() };
}
