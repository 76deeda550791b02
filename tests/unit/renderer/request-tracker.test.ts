import { describe, expect, it } from 'vitest';
import { WorkstationRequestError } from '../../../shared/protocol';
import { RequestTracker } from '../../../renderer/client/request-tracker';

describe('RequestTracker', () => {
  it('settles each request with its own reply, and rejects an error reply with the engine message', async () => {
    const sent: Array<{ id: number }> = [];
    const tracker = new RequestTracker((r) => (sent.push(r), true));
    tracker.setConnected(true);
    const a = tracker.request({ type: 'cancelAll' });
    const b = tracker.request({ type: 'getSettings' });
    tracker.receive({ type: 'reply', id: sent[1]!.id, ok: false, error: { code: 'internal', message: 'boom', field: 'x' } });
    tracker.receive({ type: 'reply', id: sent[0]!.id, ok: true, result: { canceled: 2 } });
    await expect(a).resolves.toEqual({ canceled: 2 });
    await expect(b).rejects.toMatchObject({ name: 'WorkstationRequestError', message: 'boom', code: 'internal', field: 'x' });
  });

  it('fails pending requests when the connection drops, and refuses to send while down', async () => {
    let up = true;
    const tracker = new RequestTracker(() => up);
    tracker.setConnected(true);
    const pending = tracker.request({ type: 'cancelAll' });
    up = false;
    tracker.setConnected(false);
    await expect(pending).rejects.toBeInstanceOf(WorkstationRequestError);
    await expect(tracker.request({ type: 'cancelAll' })).rejects.toMatchObject({ code: 'engine_unavailable' });
  });

  it('passes event batches to listeners until disposed', () => {
    const tracker = new RequestTracker(() => true);
    const batches: number[] = [];
    const dispose = tracker.onEvents((events) => batches.push(events.length));
    tracker.receive({ type: 'events', events: [{ type: 'symbols', symbols: ['IBM'] }] });
    dispose();
    tracker.receive({ type: 'events', events: [] });
    expect(batches).toEqual([1]);
  });
});
