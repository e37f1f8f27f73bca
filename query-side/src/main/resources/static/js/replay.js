// Client-side replay of a finished conversation from the events already delivered (the stream is opened
// with replay=true, so they start at the first event), paced by their createdAt.

const LONGEST_PAUSE_MS = 5000;

export class Replay {
  constructor(events, { speed, onShow, onEnd }) {
    this.events = events;
    this.speed = speed;
    this.onShow = onShow;
    this.onEnd = onEnd;
    this.shown = 0;
    this.timer = null;
  }

  get stepwise() {
    return this.speed === 'step';
  }

  start() {
    this.onShow(0);
    if (!this.stepwise) this.scheduleNext();
  }

  next() {
    if (this.shown >= this.events.length) return;
    this.shown += 1;
    this.onShow(this.shown);
    if (this.shown >= this.events.length) this.finish();
    else if (!this.stepwise) this.scheduleNext();
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = null;
  }

  finish() {
    this.stop();
    this.onEnd();
  }

  scheduleNext() {
    const previous = this.events[this.shown - 1];
    const upcoming = this.events[this.shown];
    const gap = previous ? Date.parse(upcoming.envelope.createdAt) - Date.parse(previous.envelope.createdAt) : 0;
    const wait = Math.min(Math.max(Number.isFinite(gap) ? gap : 0, 0), LONGEST_PAUSE_MS) / this.speed;
    this.timer = setTimeout(() => this.next(), wait);
  }
}
