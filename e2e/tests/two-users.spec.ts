import { expect, snapshot, test } from './fixtures.js';
import { confirmedTexts, openChat, say, userContext } from './demo-page.js';

const combinations = [
  ['websocket', 'websocket'],
  ['sockjs', 'sockjs'],
  ['websocket', 'sockjs'],
] as const;

for (const [first, second] of combinations) {
  test(`two browser contexts chat with each other (${first} and ${second})`, async ({ browser, server }) => {
    const adaContext = await userContext(browser, first);
    const bobContext = await userContext(browser, second);
    const ada = await adaContext.newPage();
    const bob = await bobContext.newPage();
    await openChat(ada, { name: 'ada', room: 'pairs' });
    await openChat(bob, { name: 'bob', room: 'pairs' });
    await expect(ada.getByTestId('members')).toHaveText('ada, bob');
    await expect(bob.getByTestId('transport')).toHaveText(second === 'sockjs' ? 'SockJS' : 'WebSocket');

    await say(ada, 'hi bob');
    await expect.poll(() => confirmedTexts(bob)).toEqual(['hi bob']);
    await say(bob, 'hi ada');
    await say(ada, 'how is the weather');
    await expect.poll(() => confirmedTexts(ada)).toEqual(['hi bob', 'hi ada', 'how is the weather']);
    await expect.poll(() => confirmedTexts(bob)).toEqual(['hi bob', 'hi ada', 'how is the weather']);

    // Someone who joins later sees the conversation from their join on, not what came before.
    const cy = await adaContext.newPage();
    await openChat(cy, { name: 'cy', room: 'pairs' });
    await say(bob, 'welcome cy');
    await expect.poll(() => confirmedTexts(cy)).toEqual(['welcome cy']);
    await expect(ada.getByTestId('members')).toHaveText('ada, bob, cy');
    const transports = (await server.status()).peers.map((peer) => peer.transport).sort();
    expect(transports).toEqual([first, first, second].sort());
    if (first === 'websocket' && second === 'websocket') await snapshot(bob, 'demo-two-users-open');
    await adaContext.close();
    await bobContext.close();
  });
}

test('changing rooms: each room sees only its own messages, history starts at the join', async ({ browser }) => {
  const context = await userContext(browser, 'websocket');
  const ada = await context.newPage();
  const bob = await context.newPage();
  await openChat(ada, { name: 'ada', room: 'red' });
  await openChat(bob, { name: 'bob', room: 'red' });
  await say(bob, 'said in red before ada leaves');
  await expect.poll(() => confirmedTexts(ada)).toEqual(['said in red before ada leaves']);
  await ada.getByTestId('change-room').click();
  await ada.getByTestId('room').fill('blue');
  await ada.getByTestId('join').click();
  await expect(ada.getByTestId('room-title')).toHaveText('blue');
  await expect(ada.getByTestId('members')).toHaveText('ada');
  await expect(bob.getByTestId('members')).toHaveText('bob');
  await say(bob, 'red only');
  await say(ada, 'blue only');
  await expect.poll(() => confirmedTexts(ada)).toEqual(['blue only']);
  await expect.poll(() => confirmedTexts(bob)).toEqual(['said in red before ada leaves', 'red only']);
  await context.close();
});
