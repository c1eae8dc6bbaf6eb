/**
 * The chat protocol of the bundled server (e2e/server/chat-rooms.mjs), independent of the DOM and
 * of the transport: it turns user actions into messages and server messages into view updates.
 */

/** What Keel's send() reports, as far as the chat cares. */
export type SendOutcome = 'sent' | 'queued' | 'dropped';

export interface ChatMessage {
  readonly seq: number;
  readonly name: string;
  readonly text: string;
  readonly id?: string;
  readonly at: number;
}

export interface ChatView {
  joined(room: string, name: string): void;
  members(names: readonly string[]): void;
  /** A message from the room, in seq order, each seq once. */
  message(message: ChatMessage, mine: boolean): void;
  /** One of ours, not yet confirmed by the server: 'queued' while offline, 'sent' on the wire. */
  pending(id: string, text: string, outcome: SendOutcome): void;
  notice(text: string): void;
}

interface ServerMessage {
  readonly type: string;
  readonly room?: string;
  readonly name?: string;
  readonly members?: readonly string[];
  readonly history?: readonly ChatMessage[];
  readonly seq?: number;
  readonly text?: string;
  readonly id?: string;
  readonly at?: number;
  readonly joined?: string;
  readonly left?: string;
  readonly message?: string;
}

export class ChatClient {
  readonly #send: (text: string) => SendOutcome;
  readonly #view: ChatView;
  #room = '';
  #name = '';
  /** The last seq shown: a re-join asks for everything after it ("history since joining"). */
  #lastSeq: number | undefined;
  #counter = 0;
  readonly #tag = Math.random().toString(36).slice(2, 8);

  constructor(send: (text: string) => SendOutcome, view: ChatView) {
    this.#send = send;
    this.#view = view;
  }

  get room(): string {
    return this.#room;
  }

  /** Enters a room. The first join starts at "now": nothing said before is shown. */
  join(room: string, name: string): void {
    this.#room = room;
    this.#name = name;
    this.#lastSeq = undefined;
    this.#view.joined(room, name);
    this.#send(JSON.stringify({ type: 'join', room, name }));
  }

  /** After every (re)connect: re-enter the room and fetch what was said while away. */
  rejoin(): void {
    if (this.#room === '') return;
    this.#send(JSON.stringify({ type: 'join', room: this.#room, name: this.#name, since: this.#lastSeq }));
  }

  say(text: string): SendOutcome {
    const id = `${this.#name}-${this.#tag}-${++this.#counter}`;
    const outcome = this.#send(JSON.stringify({ type: 'say', room: this.#room, name: this.#name, text, id, since: this.#lastSeq }));
    this.#view.pending(id, text, outcome);
    return outcome;
  }

  /** Handles one text message from the server; anything else is not for the chat. */
  receive(data: string): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(data) as ServerMessage;
    } catch {
      return;
    }
    if (message.room !== undefined && message.room !== this.#room) return;
    switch (message.type) {
      case 'welcome':
        this.#lastSeq ??= message.seq;
        for (const item of message.history ?? []) this.#show(item);
        this.#view.members(message.members ?? []);
        return;
      case 'message':
        this.#show(message as ChatMessage);
        return;
      case 'presence':
        this.#view.members(message.members ?? []);
        if (message.joined !== undefined && message.joined !== this.#name) this.#view.notice(`${message.joined} joined`);
        if (message.left !== undefined && message.left !== this.#name) this.#view.notice(`${message.left} left`);
        return;
      case 'error':
        this.#view.notice(`server: ${message.message ?? 'error'}`);
        return;
      default:
        // Not chat: e.g. the server's heartbeat opt-in {"type":"keel:hello"}, which a session
        // that does not consume it delivers as a message.
        return;
    }
  }

  #show(message: ChatMessage): void {
    if (this.#lastSeq !== undefined && message.seq <= this.#lastSeq) return;
    this.#lastSeq = message.seq;
    this.#view.message(message, message.name === this.#name && message.id?.startsWith(`${this.#name}-${this.#tag}-`) === true);
  }
}
