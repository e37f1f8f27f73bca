import { el, clockTime, duration, jsonDetails } from './element.js';
import { severityOf, verboseOf } from './timeline-model.js';

const VERBOSE_RANK = { info: 0, warning: 1, error: 2 };
const VERBOSE_THRESHOLD = { ALL: 0, WARN: 1, ERROR: 2, NONE: 3 };

function withoutMeta(payload) {
  if (!payload || typeof payload !== 'object') return payload;
  const { _meta, ...rest } = payload;
  return rest;
}

function summaryOf(envelope) {
  const payload = withoutMeta(envelope.payload) || {};
  if (envelope.stage === 'USER_INPUT') return `“${payload.text ?? ''}”`;
  if (envelope.stage === 'ASSISTANT_OUTPUT') return payload.output ?? '';
  const text = JSON.stringify(payload);
  return text === '{}' ? '' : text.length > 140 ? `${text.slice(0, 139)}…` : text;
}

/**
 * Renders a timeline into its container, one section per turn. Only turns whose content or filter changed
 * are rebuilt, so focus and expanded payloads elsewhere stay put while a turn streams in.
 */
export class TimelineView {
  constructor(container) {
    this.container = container;
    this.rendered = new Map();
    this.openKeys = new Set();
    this.filter = { stage: '', verbose: 'ALL' };
  }

  setFilter(filter) {
    this.filter = { ...this.filter, ...filter };
  }

  clear() {
    this.rendered.clear();
    this.openKeys.clear();
    this.container.replaceChildren();
  }

  render(timeline) {
    const stickToBottom = this.container.scrollHeight - this.container.scrollTop - this.container.clientHeight < 40;
    const filterKey = `${this.filter.stage}|${this.filter.verbose}`;
    const keep = new Set();
    let previous = null;
    for (const turn of timeline.turns) {
      keep.add(turn.key);
      const signature = `${turn.events.length}|${turn.status}|${turn.index}|${filterKey}`;
      let entry = this.rendered.get(turn.key);
      if (!entry || entry.signature !== signature) {
        const node = this.turnNode(turn);
        if (entry) this.replaceKeepingFocus(entry.node, node); else this.container.append(node);
        entry = { node, signature };
        this.rendered.set(turn.key, entry);
      }
      const expectedPosition = previous ? previous.nextSibling : this.container.firstChild;
      if (expectedPosition !== entry.node) this.container.insertBefore(entry.node, expectedPosition);
      previous = entry.node;
    }
    for (const [key, entry] of this.rendered) {
      if (!keep.has(key)) {
        entry.node.remove();
        this.rendered.delete(key);
      }
    }
    if (timeline.turns.length === 0) {
      this.container.replaceChildren(el('p', { class: 'empty' }, 'No events yet. Send a message to start.'));
      this.rendered.clear();
    } else {
      this.container.querySelector(':scope > .empty')?.remove();
    }
    if (stickToBottom) this.container.scrollTop = this.container.scrollHeight;
  }

  replaceKeepingFocus(oldNode, newNode) {
    const focused = oldNode.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;
    oldNode.replaceWith(newNode);
    if (focused) newNode.querySelector(`[data-focus-key="${focused}"]`)?.focus();
  }

  turnNode(turn) {
    if (turn.outside) {
      // records of no turn (feedback): the trace keeps them outside its turns too
      return el('section', { class: 'turn turn-outside', dataset: { turnKey: turn.key }, 'aria-label': 'Outside turns' },
        el('h3', { class: 'turn-heading' }, 'Outside turns'),
        el('ol', { class: 'items' }, this.itemNodes(turn.items)));
    }
    const state = turn.running ? 'running' : turn.status === 'ABANDONED' || turn.errors > 0 ? 'error' : 'done';
    const badge = state === 'running' ? 'running…' : turn.status === 'ABANDONED' ? 'abandoned'
      : state === 'error' ? `${turn.errors} error${turn.errors > 1 ? 's' : ''}` : 'done';
    const heading = el('h3', { class: 'turn-heading' },
      `Turn ${turn.index}`,
      turn.reset ? el('span', { class: 'badge' }, 'reset') : null,
      el('span', { class: `badge status-${state}` }, badge),
      turn.outcome ? el('span', { class: 'muted' }, turn.outcome) : null,
      el('span', { class: 'muted' }, [turn.intent, turn.state].filter(Boolean).join(' · ')),
      el('span', { class: 'muted' }, duration(turn.durationMs)));
    return el('section', { class: `turn turn-${state}`, dataset: { turnKey: turn.key, turnStatus: turn.status }, 'aria-label': `Turn ${turn.index}` },
      heading,
      turn.userText !== null ? el('p', { class: 'turn-user' }, el('span', { class: 'who' }, 'User'), turn.userText) : null,
      el('ol', { class: 'items' }, this.itemNodes(turn.items)),
      turn.output !== null ? el('p', { class: 'turn-output' }, el('span', { class: 'who' }, 'Assistant'), turn.output) : null);
  }

  itemNodes(items) {
    return items.map((item) => (item.kind === 'step' ? this.stepNode(item) : this.eventNode(item.event))).filter(Boolean);
  }

  stepNode(step) {
    const status = step.status.toLowerCase();
    const name = step.name ?? step.stepClass ?? 'step';
    return el('li', { class: `step step-${status}`, dataset: { step: name, seq: step.sequence, exitSeq: step.exitSequence } },
      el('div', { class: 'step-heading' },
        el('span', { class: 'step-name', title: [step.stepClass, step.sourceFile].filter(Boolean).join(' · ') }, name),
        el('span', { class: `badge status-${status}` }, step.status === 'RUNNING' ? 'running…' : step.status),
        step.durationMs !== null ? el('span', { class: 'duration' }, duration(step.durationMs)) : null,
        step.outcome ? el('span', { class: 'muted' }, step.outcome) : null),
      step.status === 'ERROR' ? el('p', { class: 'step-error', role: 'note' }, step.error ?? 'error') : null,
      el('ol', { class: 'items' }, this.itemNodes(step.items)));
  }

  eventNode(event) {
    const { envelope, sequence } = event;
    const severity = severityOf(event);
    if (envelope.eventType === 'VERBOSE') {
      if (VERBOSE_RANK[severity] < VERBOSE_THRESHOLD[this.filter.verbose]) return null;
      const verbose = verboseOf(envelope);
      return el('li', { class: `row verbose severity-${severity}`, dataset: { seq: sequence, stage: 'VERBOSE' } },
        el('span', { class: 'seq' }, `#${sequence}`),
        el('time', { datetime: envelope.createdAt }, clockTime(envelope.createdAt)),
        el('span', { class: 'level' }, verbose.level || 'INFO'),
        el('span', { class: 'text' }, verbose.text || ''),
        el('span', { class: 'muted' }, [verbose.toolCode, verbose.stepName].filter(Boolean).join(' · ')));
    }
    if (this.filter.stage && this.filter.stage !== envelope.stage) return null;
    return el('li', { class: `row stage severity-${severity}`, dataset: { seq: sequence, stage: envelope.stage } },
      el('span', { class: 'seq' }, `#${sequence}`),
      el('time', { datetime: envelope.createdAt }, clockTime(envelope.createdAt)),
      jsonDetails(`payload-${sequence}`, el('span', {}, el('strong', { class: 'stage-name' }, envelope.stage), ' ',
        el('span', { class: 'text' }, summaryOf(envelope))), envelope.payload, this.openKeys));
  }
}
