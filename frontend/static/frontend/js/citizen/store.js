// The tab's sessionStorage: written only once a chat starts, wiped by quick exit.

const KEY = "poradnia.chat";

function read() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || "null");
  } catch {
    return null;
  }
}

function write(data) {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(data));
  } catch {
    // Storage can be disabled (private modes); the chat still works until the tab closes.
  }
}

/** The saved chat `{token, outbox, ended, code}` or null when this tab has none. */
export function loadChat() {
  const data = read();
  return data && typeof data.token === "string" ? data : null;
}

export function saveToken(token) {
  write({ ...(read() || {}), token, outbox: (read() || {}).outbox || [] });
}

/** Messages written but not yet acknowledged, so a reload still sends them. */
export function saveOutbox(outbox) {
  const data = read();
  if (data) write({ ...data, outbox });
}

/** The resume code, so the page can show it again at any time. */
export function saveCode(code) {
  const data = read();
  if (data) write({ ...data, code });
}

export function saveEnded(ended) {
  const data = read();
  if (data) write({ ...data, ended });
}

export function wipe() {
  try {
    sessionStorage.clear();
  } catch {
    // Nothing stored.
  }
}
