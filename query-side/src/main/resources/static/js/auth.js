// The caller's access token, kept in sessionStorage (this tab only, gone when it closes).
// The service's startup link carries it in the fragment (#token=…), which browsers never send to a server;
// it is taken from there at once and removed from the address bar (and so from history and bookmarks).
const KEY = 'convtrail.accessToken';
const signedOutListeners = [];

export function takeTokenFromAddress() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get('token');
  if (!token) return;
  sessionStorage.setItem(KEY, token);
  const conversation = fragment.get('conversation');
  history.replaceState(null, '', `${location.pathname}${location.search}${conversation ? `#${conversation}` : ''}`);
}

export function accessToken() {
  return sessionStorage.getItem(KEY);
}

export function signIn(token) {
  sessionStorage.setItem(KEY, token.trim());
}

export function authorization() {
  const token = accessToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

export function onSignedOut(listener) {
  signedOutListeners.push(listener);
}

// The service refused the token (missing, expired, forged): forget it and ask for another.
export function refused() {
  sessionStorage.removeItem(KEY);
  for (const listener of signedOutListeners) listener();
}

// Whether the token's own exp has passed (read, not verified: the service verifies). A stream the service
// ended at expiry would otherwise retry with the same token forever.
export function tokenExpired() {
  const token = accessToken();
  if (!token) return false;
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload.exp === 'number' && payload.exp * 1000 <= Date.now();
  } catch {
    return false;
  }
}
