// The chat of chat-rooms.mjs shared by several server processes through Redis (issue 15), so that
// any process serves any user with the same history and the same message numbers:
//   chat:<room>:seq      the room's last message number (INCR)
//   chat:<room>:history  the last LIMITS.history messages, JSON, oldest first (a list)
//   chat:<room>:ids      client message id → stored message (a `say` resent after a reconnect is not said twice)
//   channel chat:messages  every new message, published by the process that numbered it; each
//                          process forwards it to its own members of the room.
// A message is numbered, stored and published by one Lua script, so numbers, history and the order
// every subscriber sees are the same (Redis runs scripts one at a time). Members (presence) are per
// process: a user sees the members connected to the same process.
import { checkedString, LIMITS, memberNames, send } from './chat-rooms.mjs';

const CHANNEL = 'chat:messages';

// KEYS: seq, history, ids. ARGV: message JSON without seq (an object literal starting with '{'),
// id ('' for none), history limit. Returns [the message as stored (the earlier one for a known id), 1 if it is new].
const SAY = `
if ARGV[2] ~= '' then
  local said = redis.call('HGET', KEYS[3], ARGV[2])
  if said then return {said, 0} end
end
local seq = redis.call('INCR', KEYS[1])
local message = '{"seq":' .. seq .. ',' .. string.sub(ARGV[1], 2)
redis.call('RPUSH', KEYS[2], message)
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
if ARGV[2] ~= '' then redis.call('HSET', KEYS[3], ARGV[2], message) end
redis.call('PUBLISH', '${CHANNEL}', message)
return {message, 1}
`;

const keys = (room) => [`chat:${room}:seq`, `chat:${room}:history`, `chat:${room}:ids`];

export class RedisChatRooms {
  /**
   * @param {import('ioredis').Redis} redis commands
   * @param {import('ioredis').Redis} subscriber a second connection, for the channel only
   */
  constructor(redis, subscriber) {
    this.redis = redis;
    this.subscriber = subscriber;
    /** @type {Map<string, Map<object, {name: string, joining?: object[]}>>} room → local members */
    this.rooms = new Map();
    /** @type {Map<object, string>} peer → room */
    this.roomOf = new Map();
    /** @type {WeakMap<object, Promise<void>>} each peer's requests run one after the other */
    this.queues = new WeakMap();
    this.ready = subscriber.subscribe(CHANNEL);
    subscriber.on('message', (_channel, text) => this.deliver(text));
  }

  /** A published message, to this process's members of its room (held back while one joins). */
  deliver(text) {
    const message = JSON.parse(text);
    for (const [peer, member] of this.rooms.get(message.room) ?? []) {
      if (member.joining) member.joining.push(message);
      else this.sendTo(peer, text);
    }
  }

  /** @param {{ send(data: string): void }} peer @param {string} text */
  handle(peer, text) {
    const queue = (this.queues.get(peer) ?? Promise.resolve()).then(() => this.request(peer, text));
    const settled = queue.catch((error) =>
      this.sendTo(peer, JSON.stringify({ type: 'error', code: 'store', message: String(error?.message ?? error) })),
    );
    this.queues.set(peer, settled);
  }

  async request(peer, text) {
    let request;
    try {
      request = JSON.parse(text);
    } catch {
      return send(peer, { type: 'error', code: 'bad-json', message: 'messages on /chat are JSON objects' });
    }
    if (request === null || typeof request !== 'object')
      return send(peer, { type: 'error', code: 'bad-json', message: 'messages on /chat are JSON objects' });
    if (request.type === 'join') return this.join(peer, request);
    if (request.type === 'say') return this.say(peer, request);
    if (request.type === 'leave') return this.leave(peer);
    return send(peer, { type: 'error', code: 'bad-type', message: `unknown message type ${JSON.stringify(request.type)}` });
  }

  async join(peer, request) {
    const room = checkedString(request.room, LIMITS.room);
    const name = checkedString(request.name, LIMITS.name);
    if (!room || !name)
      return send(peer, {
        type: 'error',
        code: 'bad-join',
        message: `room (1-${LIMITS.room} chars) and name (1-${LIMITS.name} chars) are required`,
      });
    const already = this.roomOf.get(peer) === room && this.rooms.get(room)?.get(peer)?.name === name;
    if (!already) this.leave(peer);
    const members = this.room(room);
    // A member before the history is read: what is published meanwhile is held, then sent after
    // the welcome unless the history had it (chat-client.ts also skips numbers it has).
    const member = { name, joining: [] };
    members.set(peer, member);
    this.roomOf.set(peer, room);
    const [seqKey, historyKey] = keys(room);
    const [[, seqText], [, stored]] = await this.redis.multi().get(seqKey).lrange(historyKey, 0, -1).exec();
    // The session ended (or joined elsewhere) while Redis answered: nothing to send.
    if (members.get(peer) !== member) return undefined;
    const seq = Number(seqText ?? 0);
    const since = Number.isInteger(request.since) && request.since >= 0 ? request.since : seq;
    const history = stored.map((text) => JSON.parse(text)).filter((message) => message.seq > since);
    send(peer, { type: 'welcome', room, name, members: memberNames(namesOf(members)), seq, history });
    const held = member.joining;
    member.joining = undefined;
    for (const message of held) if (message.seq > seq) send(peer, message);
    if (!already) this.presence(room, { joined: name }, peer);
  }

  async say(peer, request) {
    const room = checkedString(request.room, LIMITS.room);
    const name = checkedString(request.name, LIMITS.name);
    const text = typeof request.text === 'string' && request.text.length <= LIMITS.text ? request.text : null;
    if (!room || !name || text === null)
      return send(peer, { type: 'error', code: 'bad-say', message: `room, name and text (at most ${LIMITS.text} chars) are required` });
    if (this.roomOf.get(peer) !== room || this.rooms.get(room)?.get(peer)?.name !== name) {
      await this.join(peer, { room, name, since: Number.isInteger(request.since) ? request.since : undefined });
    }
    const id = typeof request.id === 'string' ? request.id.slice(0, LIMITS.id) : undefined;
    const unnumbered = JSON.stringify({ type: 'message', room, name, text, id, at: Date.now() });
    const [stored, isNew] = await this.redis.eval(SAY, 3, ...keys(room), unnumbered, id ?? '', LIMITS.history);
    // A new message reaches the sender through the channel, like everyone; a repeated id only the sender.
    if (isNew !== 1) peer.send(stored);
  }

  leave(peer) {
    const room = this.roomOf.get(peer);
    if (room === undefined) return;
    this.roomOf.delete(peer);
    const members = this.rooms.get(room);
    const name = members.get(peer)?.name;
    members.delete(peer);
    this.presence(room, { left: name });
  }

  presence(room, change, except) {
    const members = this.room(room);
    const text = JSON.stringify({ type: 'presence', room, members: memberNames(namesOf(members)), ...change });
    for (const [peer, member] of members) if (peer !== except && !member.joining) this.sendTo(peer, text);
  }

  /**
   * Sends to a member; one whose session has ended (it throws ERR_SESSION_CLOSED: a request that
   * was waiting for Redis when the session ended re-joined it) leaves, and the others go on.
   */
  sendTo(peer, text) {
    try {
      peer.send(text);
    } catch {
      this.leave(peer);
    }
  }

  room(name) {
    let members = this.rooms.get(name);
    if (!members) {
      members = new Map();
      this.rooms.set(name, members);
    }
    return members;
  }

  reset() {
    this.rooms.clear();
    this.roomOf.clear();
    // Every room's keys, for every process (the resume store's keys are left to it).
    const stream = this.redis.scanStream({ match: 'chat:*', count: 100 });
    stream.on('data', (found) => found.length > 0 && void this.redis.unlink(...found));
  }

  describe() {
    return Object.fromEntries([...this.rooms].map(([name, members]) => [name, { members: memberNames(namesOf(members)) }]));
  }
}

/** memberNames (chat-rooms.mjs) takes a room state whose members map peers to names. */
function namesOf(members) {
  return { members: new Map([...members].map(([peer, member]) => [peer, member.name])) };
}
