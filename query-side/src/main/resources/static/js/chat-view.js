import { el } from './element.js';

// A JSON object answer (a submitted application, a lookup) reads better as key → value than as one line of JSON.
function jsonObjectIn(text) {
  if (typeof text !== 'string' || !text.trimStart().startsWith('{')) return null;
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

function answerBubble(text, attributes = {}) {
  const object = jsonObjectIn(text);
  if (!object) return el('li', { class: 'bubble assistant', ...attributes }, text);
  const entries = Object.entries(object).flatMap(([key, value]) => [
    el('dt', {}, key),
    el('dd', {}, value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value)),
  ]);
  return el('li', { class: 'bubble assistant json-answer', ...attributes },
    el('dl', { class: 'json-card' }, entries),
    el('details', { class: 'raw-json' }, el('summary', {}, 'Raw JSON'), el('pre', {}, JSON.stringify(object, null, 2))));
}

/**
 * The transcript is read from the timeline (user input and assistant output per turn), so a reload or an
 * opened conversation shows the same history. A message still in flight, or answered while the stream is
 * down, is shown from the POST until its turn arrives on the stream; from then on the turn shows it (running
 * or finished), so a message is never on screen twice.
 */
export class ChatView {
  constructor(list) {
    this.list = list;
    this.pending = [];
  }

  clear() {
    this.pending = [];
    this.list.replaceChildren();
  }

  sent(text, turnsSoFar) {
    const entry = { text, turnsSoFar, answer: null, error: null };
    this.pending.push(entry);
    return entry;
  }

  // Each message sent from here is the first turn after the ones it saw with the same text, one turn per message.
  claimTurns(turns) {
    const claimed = new Map();
    for (const entry of this.pending) {
      const at = turns.findIndex((turn, i) => i >= entry.turnsSoFar && !claimed.has(i)
        && (turn.userText ?? '') === (entry.text ?? ''));
      if (at >= 0) claimed.set(at, entry);
    }
    return claimed;
  }

  render(timeline) {
    let claimed = this.claimTurns(timeline.turns);
    const done = new Set([...claimed].filter(([i]) => timeline.turns[i].finished).map(([, entry]) => entry));
    if (done.size > 0) {
      this.pending = this.pending.filter((entry) => !done.has(entry));
      claimed = this.claimTurns(timeline.turns);
    }
    const shownByTurn = new Set(claimed.values());
    const items = [];
    timeline.turns.forEach((turn, i) => {
      if (turn.reset) items.push(el('li', { class: 'bubble system' }, 'Conversation reset'));
      if (turn.userText) items.push(el('li', { class: 'bubble user' }, turn.userText));
      const entry = claimed.get(i);
      if (turn.output !== null) items.push(answerBubble(turn.output, { dataset: { turn: turn.index } }));
      else if (turn.running) items.push(el('li', { class: 'bubble assistant waiting' }, '…'));
      else if (entry && entry.answer && !entry.error) items.push(answerBubble(entry.answer));
      if (entry && entry.error) items.push(el('li', { class: 'bubble error' }, entry.error));
    });
    for (const entry of this.pending) {
      if (shownByTurn.has(entry)) continue;
      if (entry.text) items.push(el('li', { class: 'bubble user' }, entry.text));
      if (entry.error) items.push(el('li', { class: 'bubble error' }, entry.error));
      else items.push(el('li', { class: 'bubble assistant waiting' }, entry.answer ?? '…'));
    }
    if (items.length === 0) items.push(el('li', { class: 'empty' }, 'No messages yet.'));
    this.list.replaceChildren(...items);
    this.list.scrollTop = this.list.scrollHeight;
  }
}
