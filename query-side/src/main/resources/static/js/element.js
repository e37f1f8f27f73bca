// Builds DOM nodes from plain values; text always goes through textContent, so stream data is never parsed as HTML.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'dataset') {
      for (const [key, data] of Object.entries(value)) if (data !== undefined && data !== null) node.dataset[key] = data;
    }
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clockTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(11, 23);
}

export function duration(ms) {
  if (ms === undefined || ms === null) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

// Pretty JSON in an expandable block; its open state survives re-renders through the `openKeys` set.
export function jsonDetails(key, label, value, openKeys) {
  const details = el('details', { class: 'json', dataset: { key } },
    el('summary', { dataset: { focusKey: key } }, label),
    el('pre', {}, JSON.stringify(value, null, 2)));
  details.open = openKeys.has(key);
  details.addEventListener('toggle', () => {
    if (details.open) openKeys.add(key); else openKeys.delete(key);
  });
  return details;
}
