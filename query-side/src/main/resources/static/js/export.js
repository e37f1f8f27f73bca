// JSON Lines: one delivered event per line, in sequence order, with its stream position.
export function toJsonLines(events) {
  return events.map(({ sequence, envelope }) => JSON.stringify({ sequence, ...envelope })).join('\n') + (events.length ? '\n' : '');
}

export function download(filename, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
