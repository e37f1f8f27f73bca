import { el, clockTime, duration, jsonDetails } from './element.js';

// The trace and the raw audit rows, each fetched on demand from the public audit API.

function parsed(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function table(caption, headers, rows) {
  return el('table', {},
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows));
}

export function renderAuditRows(container, rows, openKeys) {
  if (rows.length === 0) {
    container.replaceChildren(el('p', { class: 'empty' }, 'No audit rows.'));
    return;
  }
  container.replaceChildren(table(`${rows.length} audit rows`, ['auditId', 'time', 'stage', 'payload'],
    rows.map((row) => el('tr', { dataset: { auditId: row.auditId } },
      el('td', { class: 'num' }, row.auditId),
      el('td', {}, el('time', { datetime: row.createdAt }, clockTime(row.createdAt))),
      el('td', {}, row.stage),
      el('td', {}, jsonDetails(`audit-${row.auditId}`, 'payload JSON', parsed(row.payloadJson), openKeys))))));
}

function statusBadge(status) {
  const text = status || '';
  return el('span', { class: `badge status-${text.toLowerCase()}` }, text);
}

export function renderTrace(container, trace, openKeys) {
  const turns = trace.turns || [];
  const steps = trace.steps || [];
  const parts = [];
  if (turns.length > 0) {
    parts.push(table('Turns', ['#', 'user', 'intent · state', 'status', 'duration'],
      turns.map((turn, i) => el('tr', {},
        el('td', { class: 'num' }, turn.index ?? turn.turnIndex ?? i + 1),
        el('td', {}, turn.userText ?? ''),
        el('td', {}, [turn.intent, turn.state].filter(Boolean).join(' · ')),
        el('td', {}, statusBadge(turn.status)),
        el('td', { class: 'num' }, duration(turn.durationMs))))));
  }
  parts.push(table('Steps', ['step', 'status', 'started', 'duration', 'stages'],
    steps.map((step, i) => el('tr', { class: step.status === 'ERROR' ? 'row-error' : '' },
      el('td', { title: [step.stepClass, step.sourceFile].filter(Boolean).join(' · ') }, step.step,
        step.error ? el('div', { class: 'step-error' }, typeof step.error === 'string' ? step.error : JSON.stringify(step.error)) : null),
      el('td', {}, statusBadge(step.status)),
      el('td', {}, el('time', { datetime: step.startedAt }, clockTime(step.startedAt))),
      el('td', { class: 'num' }, duration(step.durationMs)),
      el('td', {}, (step.stages || []).length > 0
        ? jsonDetails(`trace-step-${i}`, `${step.stages.length} stages`, step.stages, openKeys) : '')))));
  parts.push(jsonDetails('trace-stages', `All ${(trace.stages || []).length} stages (JSON)`, trace.stages || [], openKeys));
  container.replaceChildren(...parts);
}

export function renderFailure(container, what, error) {
  container.replaceChildren(el('p', { class: 'error-text', role: 'alert' }, `Could not load the ${what}: ${error.message}`));
}
