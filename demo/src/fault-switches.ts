/**
 * The fault switches on the demo page, so a visitor can watch the fallback and the reconnect
 * happen. Each button calls one of the bundled server's controls (e2e/server/keel-server.mjs):
 *
 * - Block WebSocket / Allow WebSocket: POST /control/refuse-upgrades?on=true|false, as a proxy that
 *   blocks WebSocket would (upgrades answered 403, HTTP still served), then a reload. The reload
 *   matters: a page on which WebSocket once worked takes later failures for an outage, not a
 *   proxy, and keeps retrying WebSocket (README, "Browser fallback"); a fresh page finds the
 *   evidence (upgrades fail while the SockJS endpoint answers) and switches to SockJS.
 * - Drop connections: POST /control/drop-all, every connection cut without a closing handshake.
 * - Restart server: POST /control/restart?downMs=3000, the server stops listening for 3 s.
 */
export function faultSwitches(root: Document, log: (line: string) => void): void {
  const button = (id: string): HTMLButtonElement => root.getElementById(id) as HTMLButtonElement;
  const control = async (action: string, query = ''): Promise<Record<string, unknown>> => {
    const response = await fetch(`/control/${action}${query}`, { method: action === 'status' ? 'GET' : 'POST' });
    if (!response.ok) throw new Error(`control ${action}: HTTP ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const run = (what: string, action: () => Promise<unknown>): void => {
    log(`fault: ${what}`);
    action().catch((error: unknown) => log(`fault ${what} failed: ${error instanceof Error ? error.message : String(error)}`));
  };

  let blocked = false;
  const block = button('fault-block');
  const showBlocked = (): void => {
    block.textContent = blocked ? 'Allow WebSocket (reloads)' : 'Block WebSocket (reloads)';
    block.setAttribute('aria-pressed', String(blocked));
  };
  void control('status').then(
    (status) => {
      blocked = status.refuseUpgrades === true;
      showBlocked();
    },
    () => {
      // Not the bundled server: no controls to offer.
      for (const id of ['fault-block', 'fault-drop', 'fault-restart']) button(id).disabled = true;
    },
  );
  block.addEventListener('click', () =>
    run(blocked ? 'allow WebSocket' : 'block WebSocket', async () => {
      await control('refuse-upgrades', `?on=${!blocked}`);
      location.reload();
    }),
  );
  button('fault-drop').addEventListener('click', () => run('drop every connection', () => control('drop-all')));
  button('fault-restart').addEventListener('click', () => run('restart the server (down 3 s)', () => control('restart', '?downMs=3000')));
}
