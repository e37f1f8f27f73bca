// The public REST API, nothing else: the console has no endpoint of its own.
import { accessToken, authorization, refused } from './auth.js';

const BASE = '/api/v1/conversation';

async function json(response) {
  if (response.status === 401) refused();
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const detail = body && (body.detail || body.title);
    throw new Error(`HTTP ${response.status}${detail ? `: ${detail}` : ''}`);
  }
  return body;
}

export function sendMessage(request) {
  return fetch(`${BASE}/message`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...authorization() },
    body: JSON.stringify(request),
  }).then(json);
}

export function auditRows(conversationId) {
  return fetch(`${BASE}/audit/${encodeURIComponent(conversationId)}`, { headers: { accept: 'application/json', ...authorization() } }).then(json);
}

export function trace(conversationId) {
  return fetch(`${BASE}/audit/${encodeURIComponent(conversationId)}/trace`, { headers: { accept: 'application/json', ...authorization() } }).then(json);
}

// Text, not JSON: NDJSON, saved byte for byte so its hashes still verify.
export async function exportConversation(conversationId) {
  const response = await fetch(`${BASE}/audit/${encodeURIComponent(conversationId)}/export`,
    { headers: { accept: 'application/x-ndjson', ...authorization() } });
  if (!response.ok) return json(response);
  return response.text();
}

// EventSource cannot send headers, so the stream takes the token as a parameter; the service never logs it,
// and the page's Referrer-Policy (no-referrer) keeps it out of any Referer.
export function streamUrl(conversationId, afterSequence) {
  const query = afterSequence === null ? 'replay=true' : `lastEventId=${afterSequence}`;
  const token = accessToken();
  const auth = token ? `&access_token=${encodeURIComponent(token)}` : '';
  // turns=true: the stream also carries each turn's start and end (TURN envelopes), so the timeline groups by them
  return `${BASE}/stream/${encodeURIComponent(conversationId)}?unnamed=true&turns=true&${query}${auth}`;
}

// Whether this service asks for a token at all (it does unless security was turned off).
export async function needsToken() {
  const response = await fetch(`${BASE}/audit/00000000-0000-0000-0000-000000000000?limit=1`,
    { headers: { accept: 'application/json' } });
  return response.status === 401;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isConversationId(text) {
  return UUID.test(text);
}

// crypto.randomUUID exists only in secure contexts; a console served over plain http on a LAN address still works.
export function newConversationId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// The conversation index: `params` are the list's query parameters (filters, cursor, limit) as URLSearchParams.
export function listConversations(params) {
  return fetch(`/api/v1/conversations?${params}`, { headers: { accept: 'application/json', ...authorization() } }).then(json);
}

// The last hour of the service per minute (auditors and admins).
export function overview() {
  return fetch('/api/v1/overview', { headers: { accept: 'application/json', ...authorization() } }).then(json);
}
