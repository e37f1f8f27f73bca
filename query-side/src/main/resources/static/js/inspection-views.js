import { el, clockTime, duration, jsonDetails } from './element.js';
import { waterfall } from './waterfall.js';

// The trace and the raw audit rows, each fetched on demand from the public audit API.

function parsed(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// The views refresh while a turn runs: whoever was reading an expandable payload keeps their place.
function fill(container, nodes) {
  const focused = container.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;
  container.replaceChildren(...nodes);
  if (focused) container.querySelector(`[data-focus-key="${focused}"]`)?.focus();
}

function table(caption, headers, rows) {
  return el('table', {},
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows));
}

export function renderAuditRows(container, rows, openKeys) {
  if (rows.length === 0) {
    fill(container, [el('p', { class: 'empty' }, 'No audit rows.')]);
    return;
  }
  fill(container, [table(`${rows.length} audit rows`, ['auditId', 'time', 'stage', 'payload'],
    rows.map((row) => el('tr', { dataset: { auditId: row.auditId } },
      el('td', { class: 'num' }, row.auditId),
      el('td', {}, el('time', { datetime: row.createdAt }, clockTime(row.createdAt))),
      el('td', {}, row.stage),
      el('td', {}, jsonDetails(`audit-${row.auditId}`, 'payload JSON', parsed(row.payloadJson), openKeys)))))]);
}

function statusBadge(status) {
  const text = status || '';
  return el('span', { class: `badge status-${text.toLowerCase()}` }, text);
}

function stepsTable(caption, steps, keyPrefix, openKeys) {
  return table(caption, ['step', 'status', 'started', 'duration', 'stages'],
    steps.map((step, i) => el('tr', { class: step.status === 'ERROR' ? 'row-error' : '' },
      el('td', { title: [step.stepClass, step.sourceFile].filter(Boolean).join(' · ') }, step.step,
        step.error ? el('div', { class: 'step-error' }, step.error) : null),
      el('td', {}, statusBadge(step.status)),
      el('td', {}, el('time', { datetime: step.startedAt }, clockTime(step.startedAt))),
      el('td', { class: 'num' }, duration(step.durationMs)),
      el('td', {}, (step.stages || []).length > 0
        ? jsonDetails(`${keyPrefix}-${i}`, `${step.stages.length} stages`, step.stages, openKeys) : ''))));
}

function turnSection(turn, openKeys) {
  const outside = turn.stagesOutsideSteps || [];
  return el('section', { class: 'trace-turn', 'aria-label': `Turn ${turn.index}` },
    el('h3', { class: 'turn-heading' }, `Turn ${turn.index}`, statusBadge(turn.status),
      turn.outcome ? statusBadge(turn.outcome) : null,
      el('span', { class: 'muted' }, [turn.intent, turn.state].filter(Boolean).join(' · ')),
      el('span', { class: 'muted' }, duration(turn.durationMs))),
    turn.userText ? el('p', { class: 'turn-user' }, el('span', { class: 'who' }, 'User'), turn.userText) : null,
    waterfall(turn),
    stepsTable(`${(turn.steps || []).length} steps`, turn.steps || [], `trace-${turn.index}`, openKeys),
    outside.length > 0 ? jsonDetails(`trace-${turn.index}-outside`, `${outside.length} stages outside steps`, outside, openKeys) : null);
}

/** Turns with their steps when the trace has turns; ConvEngine's flat step list otherwise. */
export function renderTrace(container, trace, openKeys) {
  const turns = trace.turns || [];
  const parts = turns.length > 0
    ? turns.map((turn) => turnSection(turn, openKeys))
    : [stepsTable('Steps', trace.steps || [], 'trace-step', openKeys)];
  parts.push(jsonDetails('trace-stages', `All ${(trace.stages || []).length} stages (JSON)`, trace.stages || [], openKeys));
  fill(container, parts);
}

export function renderFailure(container, what, error) {
  fill(container, [el('p', { class: 'error-text', role: 'alert' }, `Could not load the ${what}: ${error.message}`)]);
}
