import { listConversations } from './api.js';
import { el, clockTime } from './element.js';

// The Conversations page: the index filtered as the address says (#conversations?q=…&outcome=…), so a link
// shows the same list; a row opens its conversation in the chat, timeline, trace and audit views.
export const FILTERS = ['q', 'from', 'to', 'intent', 'state', 'outcome', 'flowVersion', 'owner'];
const OUTCOMES = ['answered', 'failed', 'abandoned', 'blocked'];

function dateTime(iso) {
  return el('time', { datetime: iso, title: iso }, `${iso.slice(0, 10)} ${clockTime(iso).slice(0, 8)}`);
}

function outcomeBadges(outcomes) {
  return OUTCOMES.filter((o) => outcomes[o] > 0)
    .map((o) => el('span', { class: `badge status-${o}`, title: o }, `${outcomes[o]} ${o}`));
}

function row(c) {
  return el('tr', { dataset: { conversationId: c.conversationId } },
    el('td', {}, el('a', { href: `#${c.conversationId}`, class: 'conversation-link', title: c.conversationId },
      c.conversationId.slice(0, 8))),
    el('td', {}, dateTime(c.startedAt)),
    el('td', {}, dateTime(c.lastActivityAt)),
    el('td', {}, c.owner ?? el('span', { class: 'muted' }, '—')),
    el('td', { class: 'num' }, c.turns),
    el('td', {}, [c.lastIntent, c.lastState].filter(Boolean).join(' · ')),
    el('td', { class: 'outcomes' }, outcomeBadges(c.outcomes)),
    el('td', { title: c.flowVersion ?? '' }, c.flowId ?? '', c.flowVersion ? el('code', { class: 'muted' }, ` ${c.flowVersion.slice(0, 8)}`) : null));
}

export class ConversationsView {
  constructor(form, results, status) {
    this.form = form;
    this.results = results;
    this.status = status;
    this.params = new URLSearchParams();
    this.request = 0;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const params = new URLSearchParams();
      for (const name of FILTERS) {
        const value = form.elements[name].value.trim();
        if (value) params.set(name, value);
      }
      const query = params.toString();
      location.hash = query ? `conversations?${query}` : 'conversations';
    });
    form.addEventListener('reset', () => setTimeout(() => form.requestSubmit(), 0));
  }

  /** Shows the list the address asks for: the form shows its filters, the first page is fetched. */
  show(params) {
    this.params = params;
    for (const name of FILTERS) this.form.elements[name].value = params.get(name) ?? '';
    this.body = el('tbody', {});
    this.more = el('button', { type: 'button', id: 'conversations-more', hidden: true }, 'More');
    this.more.addEventListener('click', () => this.load(this.cursor));
    this.results.replaceChildren(
      el('table', { id: 'conversation-list' },
        el('thead', {}, el('tr', {}, ['conversation', 'started', 'last activity', 'owner', 'turns',
          'last intent · state', 'outcomes', 'flow'].map((h) => el('th', { scope: 'col' }, h)))),
        this.body),
      this.more);
    this.shown = 0;
    return this.load(null);
  }

  async load(cursor) {
    const request = ++this.request;
    const params = new URLSearchParams(this.params);
    if (cursor) params.set('cursor', cursor);
    this.status.textContent = 'Loading…';
    try {
      const page = await listConversations(params);
      if (request !== this.request) return;
      this.body.append(...page.conversations.map(row));
      this.shown += page.conversations.length;
      this.cursor = page.nextCursor;
      this.more.hidden = !page.nextCursor;
      this.status.textContent = this.shown === 0 ? 'No conversation matches.'
        : `${this.shown} conversations${page.nextCursor ? ' (more below)' : ''}, newest first`;
      this.status.dataset.loaded = String(this.shown);
    } catch (error) {
      if (request !== this.request) return;
      this.status.textContent = `Could not load the conversations: ${error.message}`;
      this.status.dataset.loaded = 'error';
    }
  }
}
