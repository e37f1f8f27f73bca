import { duration } from './element.js';
import { svg } from './svg.js';

// One turn's steps as bars on a time axis (like a trace timeline): where each step started and how long it ran.
const WIDTH = 640;
const LABEL = 190;
const ROW = 18;
const AXIS = 22;

function endOf(step) {
  if (step.endedAt) return Date.parse(step.endedAt);
  if (step.durationMs !== null && step.durationMs !== undefined) return Date.parse(step.startedAt) + step.durationMs;
  return null;
}

export function waterfall(turn) {
  const steps = (turn.steps || []).filter((step) => step.startedAt);
  if (steps.length === 0 || !turn.startedAt) return null;
  const start = Date.parse(turn.startedAt);
  const ends = steps.map((step) => endOf(step) ?? Date.now());
  if (turn.endedAt) ends.push(Date.parse(turn.endedAt));
  const span = Math.max(1, Math.max(...ends) - start);
  const plot = WIDTH - LABEL - 10;
  const x = (t) => LABEL + ((t - start) / span) * plot;
  const height = AXIS + steps.length * ROW + 4;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => svg('g', { class: 'tick' },
    svg('line', { x1: LABEL + f * plot, x2: LABEL + f * plot, y1: AXIS - 4, y2: height, class: 'grid' }),
    svg('text', { x: LABEL + f * plot, y: AXIS - 8, 'text-anchor': f === 0 ? 'start' : f === 1 ? 'end' : 'middle' },
      duration(f * span))));
  const bars = steps.map((step, i) => {
    const from = Date.parse(step.startedAt);
    const to = endOf(step) ?? Date.now();
    const y = AXIS + i * ROW;
    const status = (step.status || 'RUNNING').toLowerCase();
    return svg('g', { class: `waterfall-row status-${status}` },
      svg('title', {}, `${step.step} · ${step.status} · ${duration(step.durationMs ?? to - from)}`),
      svg('text', { x: LABEL - 6, y: y + ROW - 5, 'text-anchor': 'end', class: 'label' },
        step.step.length > 26 ? `${step.step.slice(0, 25)}…` : step.step),
      svg('rect', { class: 'bar', x: x(from), y: y + 3, width: Math.max(2, x(to) - x(from)), height: ROW - 6, rx: 2,
        dataset: { step: step.step, startMs: from - start, durationMs: to - from } }));
  });
  return svg('svg', { class: 'waterfall', viewBox: `0 0 ${WIDTH} ${height}`, role: 'img',
    'aria-label': `Turn ${turn.index} step waterfall: ${steps.length} steps over ${duration(span)}` }, ticks, bars);
}
