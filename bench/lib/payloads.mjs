// Deterministic message bodies shared by the server (receive rows) and the clients (send rows).

/** Number of distinct JSON-like messages cycled through in the compression row. */
export const JSON_VARIANTS = 64;

/** A binary payload of `size` bytes (content is irrelevant to uncompressed framing). */
export function binaryPayload(size) {
  const buf = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) buf[i] = (i * 31 + 7) & 0xff;
  return buf;
}

/**
 * A JSON-like ASCII text of exactly `size` bytes, different for every `seed` but of the same
 * shape (like a feed of updates), so that compression with context takeover is realistic rather
 * than a back-reference to an identical previous message.
 */
export function jsonMessage(seed, size) {
  let state = (seed * 2654435761 + 12345) >>> 0;
  const rand = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state;
  };
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
  const items = [];
  let length = 40;
  for (let id = 0; length < size - 200; id++) {
    const item = JSON.stringify({
      id: seed * 1000 + id,
      user: `${words[rand() % 10]}-${rand() % 10000}`,
      active: rand() % 2 === 0,
      score: (rand() % 100000) / 100,
      tags: [words[rand() % 10], words[rand() % 10]],
      updatedAt: `2026-11-${String(1 + (rand() % 28)).padStart(2, '0')}T${String(rand() % 24).padStart(2, '0')}:00:00Z`,
    });
    items.push(item);
    length += item.length + 1;
  }
  const head = `{"type":"update","seq":${seed},"items":[${items.join(',')}],"pad":"`;
  const tail = '"}';
  const pad = size - head.length - tail.length;
  if (pad < 0) throw new Error(`jsonMessage: size ${size} too small`);
  const text = head + ' '.repeat(pad) + tail;
  return text;
}

/** The `JSON_VARIANTS` distinct messages of `size` bytes. */
export function jsonMessages(size) {
  return Array.from({ length: JSON_VARIANTS }, (_, i) => jsonMessage(i, size));
}
