// The service's own export (GET /audit/{id}/export): the same NDJSON file an auditor gets from the API,
// with hashes and a summary line, so `java -jar convtrail.jar verify FILE` checks what the console saved.
import { exportConversation } from './api.js';

export async function exportToFile(conversationId) {
  const text = await exportConversation(conversationId);
  download(`conversation-${conversationId}.jsonl`, text);
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
