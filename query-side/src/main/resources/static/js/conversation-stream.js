import { streamUrl } from './api.js';
import { refused, tokenExpired } from './auth.js';

const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000];
const GAP_PATIENCE_MS = 1500;

/**
 * One conversation's SSE stream, delivered to `onEvent` exactly once and in sequence order.
 *
 * The browser's own EventSource reconnect would reuse the first URL (with replay=true) and only sends
 * Last-Event-ID for its own reconnects, so on any error the source is closed and reopened here with
 * `lastEventId=<last delivered sequence>`: that also covers a server restart. The sequence is gapless per
 * conversation, so anything at or below the last delivered one is a duplicate, and a hole that does not
 * fill itself shortly is closed by resuming from the last delivered event. Turn boundaries (TURN) go to
 * `onBoundary` once each (by auditId), with the position of the record they follow.
 */
export class ConversationStream {
  constructor(conversationId, { onEvent, onBoundary, onStatus }) {
    this.conversationId = conversationId;
    this.onEvent = onEvent;
    this.onBoundary = onBoundary;
    this.boundaryIds = new Set();
    this.onStatus = onStatus;
    this.lastSequence = 0;
    this.early = new Map();
    this.failures = 0;
    this.duplicates = 0;
    this.source = null;
    this.retryTimer = null;
    this.gapTimer = null;
    this.stopped = false;
  }

  start() {
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.closeSource();
    this.onStatus({ state: 'idle', text: 'not connected' });
  }

  // A page kept in the back/forward cache would hold its connection open; browsers allow only six per
  // server over HTTP/1.1, so a hidden page lets go of it and resumes from where it was when shown again.
  suspend() {
    this.closeSource();
    this.onStatus({ state: 'idle', text: `paused after #${this.lastSequence}` });
  }

  resume() {
    if (!this.stopped) this.connect();
  }

  // Reconnects at once instead of waiting out the back-off, when the stream is not open.
  reconnectIfDown() {
    if (this.stopped || (this.source && this.source.readyState !== EventSource.CLOSED)) return;
    clearTimeout(this.retryTimer);
    this.connect();
  }

  closeSource() {
    clearTimeout(this.retryTimer);
    clearTimeout(this.gapTimer);
    this.early.clear();
    if (this.source) this.source.close();
    this.source = null;
  }

  connect() {
    if (this.stopped) return;
    const resuming = this.lastSequence > 0;
    this.onStatus({ state: 'connecting', text: resuming ? `resuming after #${this.lastSequence}…` : 'connecting…' });
    const source = new EventSource(streamUrl(this.conversationId, resuming ? this.lastSequence : null));
    this.source = source;
    source.onopen = () => this.live();
    source.addEventListener('CONNECTED', () => this.live());
    source.onmessage = (message) => this.receive(message);
    source.onerror = () => {
      if (this.source !== source) return;
      source.close();
      if (tokenExpired()) {
        refused();
        return;
      }
      this.scheduleReconnect();
    };
  }

  live() {
    this.failures = 0;
    this.onStatus({ state: 'live', text: `live · last #${this.lastSequence}` });
  }

  scheduleReconnect() {
    if (this.stopped) return;
    const delay = RETRY_DELAYS_MS[Math.min(this.failures, RETRY_DELAYS_MS.length - 1)];
    this.failures += 1;
    this.onStatus({ state: 'reconnecting', text: `disconnected · retrying in ${(delay / 1000).toFixed(1)} s (after #${this.lastSequence})` });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  receive(message) {
    let envelope;
    try {
      envelope = JSON.parse(message.data);
    } catch {
      return;
    }
    if (envelope.eventType === 'TURN') {
      // a turn boundary repeats the id of the record it follows; a resumed stream may send it again
      if (!this.boundaryIds.has(envelope.auditId)) {
        this.boundaryIds.add(envelope.auditId);
        this.onBoundary({ afterSequence: Number.parseInt(message.lastEventId, 10) || 0, envelope });
      }
      return;
    }
    if (envelope.eventType !== 'AUDIT' && envelope.eventType !== 'VERBOSE') {
      this.live();
      return;
    }
    // An event without its own id: line inherits the previous one, so only a fresh, larger id is news.
    const sequence = Number.parseInt(message.lastEventId, 10);
    if (!Number.isSafeInteger(sequence) || sequence <= this.lastSequence || this.early.has(sequence)) {
      this.duplicates += 1;
      return;
    }
    this.early.set(sequence, envelope);
    this.deliverInOrder();
  }

  deliverInOrder() {
    while (this.early.has(this.lastSequence + 1)) {
      const sequence = this.lastSequence + 1;
      const envelope = this.early.get(sequence);
      this.early.delete(sequence);
      this.lastSequence = sequence;
      this.onEvent({ sequence, envelope });
    }
    clearTimeout(this.gapTimer);
    if (this.early.size > 0) {
      this.gapTimer = setTimeout(() => this.resync(), GAP_PATIENCE_MS);
    } else if (this.source && this.source.readyState === EventSource.OPEN) {
      this.live();
    }
  }

  resync() {
    this.early.clear();
    if (this.source) this.source.close();
    this.connect();
  }
}
