import { expect, test } from './fixtures.js';
import { confirmedTexts, openChat, say } from './demo-page.js';

// Issue 15: the demo's connection panel shows the delivery guarantee in force, and "resumed"
// after a reconnect that resumed the session.
test('the panel shows exactly-once delivery, and "resumed" after the server drops the connection', async ({ page, server }) => {
  await openChat(page, { name: 'ada' });
  await expect(page.getByTestId('delivery')).toHaveText('exactly once');
  await say(page, 'before the drop');
  await expect.poll(() => confirmedTexts(page)).toEqual(['before the drop']);
  await server.control('drop-all');
  await expect(page.getByTestId('delivery')).toHaveText('exactly once · resumed', { timeout: 30_000 });
  await say(page, 'after the drop');
  await expect.poll(() => confirmedTexts(page)).toEqual(['before the drop', 'after the drop']);
});
