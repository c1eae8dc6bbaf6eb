import type { ChatMessage, ChatView, SendOutcome } from './chat-client.js';
import { clockTime } from './clock-time.js';

/** Renders the chat into the page's elements (index.html). */
export function domChatView(root: Document): ChatView {
  const list = root.getElementById('messages') as HTMLOListElement;
  const pendingById = new Map<string, HTMLLIElement>();

  const atBottom = (): boolean => list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const append = (item: HTMLLIElement): void => {
    const follow = atBottom();
    list.append(item);
    if (follow) list.scrollTop = list.scrollHeight;
  };
  const line = (name: string, text: string, at: number, className: string): HTMLLIElement => {
    const item = root.createElement('li');
    item.className = className;
    const who = root.createElement('span');
    who.className = 'who';
    who.textContent = name;
    const when = root.createElement('span');
    when.className = 'when';
    when.textContent = clockTime(at);
    const body = root.createElement('span');
    body.className = 'body';
    body.textContent = text;
    item.append(who, when, body);
    return item;
  };

  return {
    joined(room) {
      (root.getElementById('join') as HTMLElement).hidden = true;
      (root.getElementById('chat') as HTMLElement).hidden = false;
      (root.getElementById('room-title') as HTMLElement).textContent = room;
      list.replaceChildren();
      pendingById.clear();
      (root.getElementById('text') as HTMLTextAreaElement).focus();
    },
    members(names) {
      (root.getElementById('members') as HTMLElement).textContent = names.join(', ');
    },
    message(message: ChatMessage, mine: boolean) {
      const pending = message.id === undefined ? undefined : pendingById.get(message.id);
      const item = line(message.name, message.text, message.at, mine ? 'message mine' : 'message');
      item.dataset.seq = String(message.seq);
      if (pending !== undefined && message.id !== undefined) {
        // Our own message came back from the server: it replaces its pending line, in server order.
        pendingById.delete(message.id);
        pending.remove();
      }
      append(item);
    },
    pending(id: string, text: string, outcome: SendOutcome) {
      const name = (root.getElementById('name') as HTMLInputElement).value;
      const item = line(name, text, Date.now(), outcome === 'dropped' ? 'message mine dropped' : 'message mine pending');
      if (outcome === 'dropped') item.querySelector('.when')?.append(' · not sent (queue full)');
      else pendingById.set(id, item);
      append(item);
    },
    notice(text: string) {
      const item = root.createElement('li');
      item.className = 'notice';
      item.textContent = text;
      append(item);
    },
  };
}
