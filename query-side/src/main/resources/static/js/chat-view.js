import { el } from './element.js';

/**
 * The transcript is read from the timeline (user input and assistant output per turn), so a reload or an
 * opened conversation shows the same history. A message still in flight, or answered while the stream is
 * down, is shown from the POST until its turn arrives on the stream.
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

  render(timeline) {
    this.pending = this.pending.filter((entry) => !timeline.turns.slice(entry.turnsSoFar)
      .some((turn) => turn.finished && (turn.userText ?? '') === (entry.text ?? '')));
    const items = [];
    for (const turn of timeline.turns) {
      if (turn.reset) items.push(el('li', { class: 'bubble system' }, 'Conversation reset'));
      if (turn.userText) items.push(el('li', { class: 'bubble user' }, turn.userText));
      if (turn.output !== null) items.push(el('li', { class: 'bubble assistant', dataset: { turn: turn.index } }, turn.output));
      else if (turn.running) items.push(el('li', { class: 'bubble assistant waiting' }, '…'));
    }
    for (const entry of this.pending) {
      if (entry.text) items.push(el('li', { class: 'bubble user' }, entry.text));
      if (entry.error) items.push(el('li', { class: 'bubble error' }, entry.error));
      else items.push(el('li', { class: 'bubble assistant waiting' }, entry.answer ?? '…'));
    }
    if (items.length === 0) items.push(el('li', { class: 'empty' }, 'No messages yet.'));
    this.list.replaceChildren(...items);
    this.list.scrollTop = this.list.scrollHeight;
  }
}
