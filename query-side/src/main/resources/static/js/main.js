import { auditRows, isConversationId, needsToken, newConversationId, overview, sendMessage, trace } from './api.js';
import { accessToken, onSignedOut, signIn, takeTokenFromAddress } from './auth.js';
import { ChatView } from './chat-view.js';
import { ConversationsView } from './conversations-view.js';
import { ConversationStream } from './conversation-stream.js';
import { el } from './element.js';
import { exportToFile } from './export.js';
import { renderAuditRows, renderFailure, renderTrace } from './inspection-views.js';
import { renderOverview } from './overview-view.js';
import { Replay } from './replay.js';
import { buildTimeline } from './timeline-model.js';
import { TimelineView } from './timeline-view.js';

const $ = (id) => document.getElementById(id);

const state = {
  conversationId: null,
  events: [],
  boundaries: [],
  stream: null,
  replay: null,
  renderQueued: false,
};

const timelineView = new TimelineView($('timeline'));
const chatView = new ChatView($('transcript'));
const inspectionOpenKeys = new Set();

function shownEvents() {
  return state.replay ? state.events.slice(0, state.replay.shown) : state.events;
}

// A replay shows the boundaries up to the last record it shows.
function shownBoundaries(events) {
  if (!state.replay) return state.boundaries;
  const last = events.length ? events[events.length - 1].sequence : 0;
  return state.boundaries.filter((b) => b.afterSequence <= last);
}

function render() {
  state.renderQueued = false;
  const events = shownEvents();
  const timeline = buildTimeline(events, shownBoundaries(events));
  timelineView.render(timeline);
  chatView.render(buildTimeline(state.events, state.boundaries));
  updateStageOptions(timeline.stages);
  const replayNote = state.replay ? ` · replay ${state.replay.shown}/${state.replay.events.length}` : '';
  $('timeline-summary').textContent = state.conversationId
    ? `${timeline.turns.filter((t) => !t.outside).length} turns · ${events.length} events${replayNote}` : 'Start a new conversation or open one by id.';
}

function scheduleRender() {
  if (state.renderQueued) return;
  state.renderQueued = true;
  requestAnimationFrame(render);
}

function updateStageOptions(stages) {
  const select = $('stage-filter');
  const known = new Set([...select.options].map((o) => o.value));
  for (const stage of stages) {
    if (!known.has(stage)) select.append(el('option', { value: stage }, stage));
  }
}

function setConnection({ state: connectionState, text }) {
  $('connection').dataset.state = connectionState;
  $('connection-text').textContent = text;
}

function openConversation(conversationId) {
  stopReplay();
  if (state.stream) state.stream.stop();
  state.conversationId = conversationId;
  state.events = [];
  state.boundaries = [];
  timelineView.clear();
  timelineView.setFilter({ stage: '' });
  $('stage-filter').replaceChildren(el('option', { value: '' }, 'all stages'));
  chatView.clear();
  $('trace').replaceChildren();
  $('audit').replaceChildren();
  $('last-answer').textContent = '';
  $('conversation-id').textContent = conversationId;
  $('nav-chat').href = `#${conversationId}`;
  if (location.hash.slice(1) !== conversationId) history.replaceState(null, '', `#${conversationId}`);
  state.stream = new ConversationStream(conversationId, {
    onEvent: (event) => {
      state.events.push(event);
      scheduleRender();
      scheduleInspectionRefresh();
    },
    onBoundary: (boundary) => {
      state.boundaries.push(boundary);
      scheduleRender();
    },
    onStatus: setConnection,
  });
  state.stream.start();
  scheduleRender();
  refreshActiveInspection();
}

async function send(request, text) {
  if (!state.conversationId) openConversation(newConversationId());
  const turnsSoFar = buildTimeline(state.events, state.boundaries).turns.length;
  const entry = chatView.sent(text, turnsSoFar);
  scheduleRender();
  try {
    const answer = await sendMessage({ conversationId: state.conversationId, ...request });
    entry.answer = answer.payload ? answer.payload.value : '';
    // a user's stream is refused until its first turn makes the conversation theirs: catch up now
    if (state.stream) state.stream.reconnectIfDown();
    if (!answer.success || (answer.payload && answer.payload.type === 'ERROR')) entry.error = entry.answer || 'the engine failed';
    $('last-answer').textContent = `Last answer: ${answer.intent ?? '?'} · ${answer.state ?? '?'} (${answer.payload ? answer.payload.type : 'no payload'})`;
  } catch (error) {
    entry.error = `Not sent: ${error.message}`;
  }
  // How many requests have been answered: lets a script (or a test) know the engine is done with them.
  $('last-answer').dataset.answered = String(Number($('last-answer').dataset.answered || 0) + 1);
  scheduleRender();
  refreshActiveInspection();
}

// --- replay -------------------------------------------------------------------------------------------

function startReplay() {
  if (state.events.length === 0) return;
  stopReplay();
  const choice = $('replay-speed').value;
  state.replay = new Replay([...state.events], {
    speed: choice === 'step' ? 'step' : Number(choice),
    onShow: scheduleRender,
    onEnd: () => {
      $('replay-next').hidden = true;
      $('replay-stop').textContent = 'Back to live';
    },
  });
  timelineView.clear();
  $('replay-next').hidden = !state.replay.stepwise;
  $('replay-stop').hidden = false;
  $('replay-stop').textContent = 'Stop replay';
  state.replay.start();
  (state.replay.stepwise ? $('replay-next') : $('replay-stop')).focus();
}

function stopReplay() {
  if (!state.replay) return;
  state.replay.stop();
  state.replay = null;
  $('replay-next').hidden = true;
  $('replay-stop').hidden = true;
  timelineView.clear();
  scheduleRender();
  $('replay-start').focus();
}

// --- inspection tabs ----------------------------------------------------------------------------------

const tabs = [...document.querySelectorAll('[role="tab"]')];

function selectTab(tab) {
  for (const t of tabs) {
    const selected = t === tab;
    t.setAttribute('aria-selected', String(selected));
    t.tabIndex = selected ? 0 : -1;
    $(t.getAttribute('aria-controls')).hidden = !selected;
  }
  refreshActiveInspection();
}

// The trace and the rows follow the stream while a turn runs, at most twice a second.
let inspectionTimer = null;
function scheduleInspectionRefresh() {
  if (inspectionTimer) return;
  inspectionTimer = setTimeout(() => {
    inspectionTimer = null;
    refreshActiveInspection();
  }, 500);
}

async function refreshActiveInspection() {
  const id = state.conversationId;
  if (!id) return;
  const active = tabs.find((t) => t.getAttribute('aria-selected') === 'true').id;
  // an answer for a conversation that is no longer open is dropped
  if (active === 'tab-trace') {
    try {
      const body = await trace(id);
      if (id === state.conversationId) renderTrace($('trace'), body, inspectionOpenKeys);
    } catch (error) {
      if (id === state.conversationId) renderFailure($('trace'), 'trace', error);
    }
  } else if (active === 'tab-audit') {
    try {
      const rows = await auditRows(id);
      if (id === state.conversationId) renderAuditRows($('audit'), rows, inspectionOpenKeys);
    } catch (error) {
      if (id === state.conversationId) renderFailure($('audit'), 'audit rows', error);
    }
  }
}

// --- wiring -------------------------------------------------------------------------------------------

$('new-conversation').addEventListener('click', () => {
  openConversation(newConversationId());
  $('message-input').focus();
});

$('open-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = $('open-id').value.trim();
  if (!isConversationId(id)) {
    $('open-id').setCustomValidity('Enter a conversation UUID');
    $('open-id').reportValidity();
    return;
  }
  $('open-id').setCustomValidity('');
  openConversation(id.toLowerCase());
});
$('open-id').addEventListener('input', () => $('open-id').setCustomValidity(''));

$('message-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('message-input').value;
  if (!text.trim()) return;
  $('message-input').value = '';
  send({ message: text }, text);
});

$('reset').addEventListener('click', () => send({ reset: true }, null));

$('stage-filter').addEventListener('change', (event) => {
  timelineView.setFilter({ stage: event.target.value });
  scheduleRender();
});
$('verbose-filter').addEventListener('change', (event) => {
  timelineView.setFilter({ verbose: event.target.value });
  scheduleRender();
});

$('replay-start').addEventListener('click', startReplay);
$('replay-next').addEventListener('click', () => state.replay && state.replay.next());
$('replay-stop').addEventListener('click', stopReplay);

$('export').addEventListener('click', () => {
  if (!state.conversationId) return;
  exportToFile(state.conversationId).catch((error) => {
    $('last-answer').textContent = `Export failed: ${error.message}`;
  });
});

$('trace-refresh').addEventListener('click', refreshActiveInspection);
$('audit-refresh').addEventListener('click', refreshActiveInspection);

for (const tab of tabs) {
  tab.addEventListener('click', () => selectTab(tab));
  tab.addEventListener('keydown', (event) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
    selectTab(next);
    next.focus();
  });
}

function typingInField(target) {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

document.addEventListener('keydown', (event) => {
  if (event.altKey && event.key.toLowerCase() === 'n') {
    event.preventDefault();
    $('new-conversation').click();
  } else if (event.key === 'Escape' && state.replay) {
    stopReplay();
  } else if (!typingInField(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey) {
    if (event.key === '/' && document.body.dataset.page === 'conversation') {
      event.preventDefault();
      $('message-input').focus();
    } else if (event.key.toLowerCase() === 'n' && state.replay && state.replay.stepwise) {
      state.replay.next();
    }
  }
});

window.addEventListener('pagehide', () => state.stream && state.stream.suspend());
window.addEventListener('pageshow', (event) => {
  if (event.persisted && state.stream) state.stream.resume();
});

// --- pages: #<conversation id> (chat and inspector), #conversations?<filters>, #overview ----------------

const conversationsView = new ConversationsView($('conversation-filters'), $('conversations-results'),
  $('conversations-status'));
let overviewTimer = null;

async function refreshOverview() {
  try {
    renderOverview($('overview'), await overview());
  } catch (error) {
    renderFailure($('overview'), 'overview', error);
  }
}

function showPage(page) {
  document.body.dataset.page = page;
  document.querySelector('main.layout').hidden = page !== 'conversation';
  $('conversations-page').hidden = page !== 'conversations';
  $('overview-page').hidden = page !== 'overview';
  for (const link of document.querySelectorAll('.pages a')) {
    if (link.dataset.page === page) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  clearInterval(overviewTimer);
  overviewTimer = null;
  if (page === 'overview') {
    refreshOverview();
    overviewTimer = setInterval(refreshOverview, 15000);
  }
}

function route() {
  const hash = location.hash.slice(1);
  if (hash === 'conversations' || hash.startsWith('conversations?')) {
    showPage('conversations');
    conversationsView.show(new URLSearchParams(hash.slice('conversations?'.length)));
  } else if (hash === 'overview') {
    showPage('overview');
  } else {
    showPage('conversation');
    if (isConversationId(hash) && hash !== state.conversationId) openConversation(hash);
    else render();
  }
}

window.addEventListener('hashchange', route);

// --- access --------------------------------------------------------------------------------------------

function showSignIn(message) {
  if (state.stream) state.stream.stop();
  document.body.dataset.auth = 'signed-out';
  $('sign-in').hidden = false;
  $('sign-in-message').textContent = message;
  $('token-input').focus();
}

function startConsole() {
  document.body.dataset.auth = 'signed-in';
  $('sign-in').hidden = true;
  route();
}

onSignedOut(() => showSignIn('The service refused the token (expired or not valid). Paste a new one.'));

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('token-input').value.trim();
  if (!token) return;
  signIn(token);
  $('token-input').value = '';
  startConsole();
});

takeTokenFromAddress();
if (accessToken()) {
  startConsole();
} else {
  needsToken().then((needed) => (needed
    ? showSignIn('Open the link the service logged at startup, or paste an access token.')
    : startConsole()), () => startConsole());
}
