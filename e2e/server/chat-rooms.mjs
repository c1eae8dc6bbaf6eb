// The chat endpoint: named rooms, display names, and history since joining.
//
// Wire format (JSON text, the same on WebSocket and SockJS):
//   client → server
//     {"type":"join","room":"lobby","name":"ada","since":12}   since: last seq the client has
//                                                             (omit on a first join)
//     {"type":"say","room":"lobby","name":"ada","text":"hi","id":"ada-3","since":12}
//     {"type":"leave"}
//   server → client
//     {"type":"welcome","room","name","members":[...],"seq":N,"history":[message...]}
//     {"type":"message","room","seq","name","text","id","at"}
//     {"type":"presence","room","members":[...],"joined"?:name,"left"?:name}
//     {"type":"error","code","message"}
//
// "History since joining": a first join starts at the room's current seq (nothing older is
// sent); a re-join after a reconnect passes the last seq it saw and gets every message after it,
// so nothing said while the client was away is lost. A `say` from a client that has not joined
// (its queue flushed before its join) joins it implicitly, so the order of the two never matters.
// A `say` whose id the room already has is not said twice (the sender gets the stored message).
//
// With a log (chat-log.mjs) the history and the message numbers survive a restart of the process.

export const LIMITS = { room: 40, name: 32, text: 8000, history: 1000, id: 80 };

export class ChatRooms {
  /** @param {{ log?: ReturnType<typeof import('./chat-log.mjs').openChatLog> }} [options] */
  constructor(options = {}) {
    /** @type {Map<string, {seq: number, history: object[], members: Map<object, string>}>} */
    this.rooms = new Map();
    /** @type {Map<object, string>} peer → room */
    this.roomOf = new Map();
    this.log = options.log;
    for (const message of this.log?.messages ?? []) this.record(this.room(message.room), message);
  }

  reset() {
    this.rooms.clear();
    this.roomOf.clear();
    this.log?.clear();
  }

  /** @param {{ send(data: string): void }} peer @param {string} text */
  handle(peer, text) {
    let request;
    try {
      request = JSON.parse(text);
    } catch {
      return this.reject(peer, 'bad-json', 'messages on /chat are JSON objects');
    }
    if (request === null || typeof request !== 'object') return this.reject(peer, 'bad-json', 'messages on /chat are JSON objects');
    switch (request.type) {
      case 'join':
        return this.join(peer, request);
      case 'say':
        return this.say(peer, request);
      case 'leave':
        return this.leave(peer);
      default:
        return this.reject(peer, 'bad-type', `unknown message type ${JSON.stringify(request.type)}`);
    }
  }

  join(peer, request) {
    const room = checkedString(request.room, LIMITS.room);
    const name = checkedString(request.name, LIMITS.name);
    if (!room || !name)
      return this.reject(peer, 'bad-join', `room (1-${LIMITS.room} chars) and name (1-${LIMITS.name} chars) are required`);
    // Joining the room this connection is already in (a say joined it first) only replays history.
    const already = this.roomOf.get(peer) === room && this.rooms.get(room)?.members.get(peer) === name;
    if (!already) this.leave(peer);
    const state = this.room(room);
    state.members.set(peer, name);
    this.roomOf.set(peer, room);
    const since = Number.isInteger(request.since) && request.since >= 0 ? request.since : state.seq;
    const history = state.history.filter((message) => message.seq > since);
    send(peer, { type: 'welcome', room, name, members: memberNames(state), seq: state.seq, history });
    if (!already) this.broadcast(state, { type: 'presence', room, members: memberNames(state), joined: name }, peer);
  }

  say(peer, request) {
    const room = checkedString(request.room, LIMITS.room);
    const name = checkedString(request.name, LIMITS.name);
    const text = typeof request.text === 'string' && request.text.length <= LIMITS.text ? request.text : null;
    if (!room || !name || text === null)
      return this.reject(peer, 'bad-say', `room, name and text (at most ${LIMITS.text} chars) are required`);
    if (this.roomOf.get(peer) !== room || this.rooms.get(room)?.members.get(peer) !== name) {
      this.join(peer, { room, name, since: Number.isInteger(request.since) ? request.since : undefined });
    }
    const state = this.room(room);
    const id = typeof request.id === 'string' ? request.id.slice(0, LIMITS.id) : undefined;
    const said = id === undefined ? undefined : state.history.find((message) => message.id === id);
    if (said !== undefined) return send(peer, said);
    const message = { type: 'message', room, seq: state.seq + 1, name, text, id, at: Date.now() };
    // On disk before anyone sees it (chat-log.mjs).
    this.log?.append(message);
    this.record(state, message);
    this.broadcast(state, message);
  }

  /** Adds `message` to its room's history; its seq becomes the room's. */
  record(state, message) {
    state.seq = message.seq;
    state.history.push(message);
    if (state.history.length > LIMITS.history) state.history.shift();
  }

  leave(peer) {
    const room = this.roomOf.get(peer);
    if (room === undefined) return;
    this.roomOf.delete(peer);
    const state = this.rooms.get(room);
    const name = state.members.get(peer);
    state.members.delete(peer);
    this.broadcast(state, { type: 'presence', room, members: memberNames(state), left: name });
  }

  room(name) {
    let state = this.rooms.get(name);
    if (!state) {
      state = { seq: 0, history: [], members: new Map() };
      this.rooms.set(name, state);
    }
    return state;
  }

  broadcast(state, message, except) {
    const text = JSON.stringify(message);
    for (const member of state.members.keys()) if (member !== except) member.send(text);
  }

  reject(peer, code, message) {
    send(peer, { type: 'error', code, message });
  }

  describe() {
    return Object.fromEntries([...this.rooms].map(([name, state]) => [name, { seq: state.seq, members: memberNames(state) }]));
  }
}

export function checkedString(value, max) {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= max ? value.trim() : null;
}

export function memberNames(state) {
  return [...new Set(state.members.values())].sort();
}

export function send(peer, message) {
  peer.send(JSON.stringify(message));
}
