import { el } from './element.js';
import { niceMax, shortNumber, svg } from './svg.js';

// The last hour of the service, a minute at a time, from its own metrics (GET /api/v1/overview).
const WIDTH = 560;
const HEIGHT = 170;
const LEFT = 44;
const BOTTOM = 22;
const TOP = 8;
const OUTCOMES = ['answered', 'blocked', 'failed', 'abandoned'];
const MINUTE = 60_000;

function frame(minutes, maxY, unit) {
  const plotW = WIDTH - LEFT - 8;
  const plotH = HEIGHT - TOP - BOTTOM;
  const end = Math.floor(Date.now() / MINUTE) * MINUTE;
  const start = end - (minutes - 1) * MINUTE;
  const x = (t) => LEFT + ((t - start) / ((minutes - 1) * MINUTE)) * plotW;
  const y = (v) => TOP + plotH - (v / maxY) * plotH;
  const axes = [0, 0.5, 1].map((f) => svg('g', { class: 'tick' },
    svg('line', { x1: LEFT, x2: WIDTH - 8, y1: y(f * maxY), y2: y(f * maxY), class: 'grid' }),
    svg('text', { x: LEFT - 4, y: y(f * maxY) + 4, 'text-anchor': 'end' }, `${shortNumber(f * maxY)}${f === 1 ? unit : ''}`)));
  const times = [-60, -45, -30, -15, 0].map((m) => svg('text', {
    x: x(end + m * MINUTE), y: HEIGHT - 6, 'text-anchor': m === -60 ? 'start' : m === 0 ? 'end' : 'middle',
  }, m === 0 ? 'now' : `${m} min`));
  return { x, y, plotW, start, end, decorations: [...axes, ...times] };
}

function chart(title, key, legend, body) {
  return el('figure', { class: 'chart', dataset: { chart: key } },
    el('figcaption', {}, title, el('span', { class: 'legend' }, legend.map(([name, cls]) =>
      el('span', { class: `legend-item ${cls}` }, name)))),
    body);
}

function stackedTurns(samples, minutes) {
  const totals = samples.map((s) => OUTCOMES.reduce((sum, o) => sum + (s.turns[o] || 0), 0));
  const f = frame(minutes, niceMax(Math.max(0, ...totals)), '/min');
  const barW = Math.max(2, f.plotW / minutes - 2);
  const bars = [];
  for (const s of samples) {
    const t = Date.parse(s.minute);
    if (t < f.start) continue;
    let base = 0;
    for (const outcome of OUTCOMES) {
      const n = s.turns[outcome] || 0;
      if (n === 0) continue;
      bars.push(svg('rect', { class: `bar outcome-${outcome}`, x: f.x(t) - barW / 2, y: f.y(base + n), width: barW,
        height: f.y(base) - f.y(base + n), dataset: { minute: s.minute, outcome, count: n } },
      svg('title', {}, `${s.minute.slice(11, 16)} · ${n} ${outcome}`)));
      base += n;
    }
  }
  return chart('Turns per minute by outcome', 'turns', OUTCOMES.map((o) => [o, `outcome-${o}`]),
    svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': 'Turns per minute by outcome' },
      f.decorations, bars));
}

function lines(title, key, unit, seriesList, minutes) {
  const max = niceMax(Math.max(0, ...seriesList.flatMap((s) => s.points.map((p) => p.v))));
  const f = frame(minutes, max, unit);
  const paths = seriesList.map((series, i) => {
    const points = series.points.filter((p) => p.t >= f.start).sort((a, b) => a.t - b.t);
    if (points.length === 0) return null;
    const d = points.map((p, j) => `${j === 0 ? 'M' : 'L'}${f.x(p.t).toFixed(1)},${f.y(p.v).toFixed(1)}`).join(' ');
    return svg('g', { class: `series series-${i}`, dataset: { series: series.name, points: points.length } },
      svg('path', { d, class: 'line' }),
      points.map((p) => svg('circle', { cx: f.x(p.t), cy: f.y(p.v), r: 2.5 },
        svg('title', {}, `${new Date(p.t).toISOString().slice(11, 16)} · ${series.name}: ${shortNumber(p.v)}${unit}`))));
  });
  return chart(title, key, seriesList.map((s, i) => [s.name, `series-${i}`]),
    svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': title }, f.decorations, paths));
}

function perKey(samples, field) {
  const names = [...new Set(samples.flatMap((s) => Object.keys(s[field] || {})))].sort();
  return names.map((name) => ({
    name,
    points: samples.filter((s) => s[field] && s[field][name] !== undefined)
      .map((s) => ({ t: Date.parse(s.minute), v: s[field][name] })),
  }));
}

export function renderOverview(container, overview) {
  const { samples, minutes } = overview;
  const latency = ['latencyP50Ms', 'latencyP95Ms', 'latencyP99Ms'].map((field) => ({
    name: field.slice(7, 10).toLowerCase(),
    points: samples.filter((s) => s[field] !== null && s[field] !== undefined)
      .map((s) => ({ t: Date.parse(s.minute), v: s[field] })),
  }));
  const turns = samples.reduce((sum, s) => sum + OUTCOMES.reduce((n, o) => n + (s.turns[o] || 0), 0), 0);
  container.replaceChildren(
    el('p', { class: 'summary', id: 'overview-summary' },
      `${turns} turn${turns === 1 ? '' : 's'} in the last hour on this node · ${samples.length} minute${samples.length === 1 ? '' : 's'} with samples · updated ${new Date().toISOString().slice(11, 19)} UTC`),
    el('div', { class: 'charts' },
      stackedTurns(samples, minutes),
      lines('Turn latency percentiles', 'latency', ' ms', latency, minutes),
      lines('Projection lag (events behind the store)', 'lag', '', perKey(samples, 'projectionLagEvents'), minutes),
      lines('Open streams', 'streams', '', perKey(samples, 'openStreams'), minutes)));
}
