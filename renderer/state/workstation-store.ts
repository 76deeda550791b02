/**
 * The window's zustand store, fed by the engine through a {@link WorkstationClient}, and the
 * topic subscriptions of the window (reference-counted; renewed after a reconnect).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Dispose, Topic, WorkstationClient } from '../../shared/protocol';
import { INITIAL_STATE, applyEvents, type WorkstationState } from './reducers';

export interface Workstation {
  readonly client: WorkstationClient;
  readonly store: StoreApi<WorkstationState>;
  /** Subscribes to topics for as long as the returned dispose is not called. */
  useTopics(topics: readonly Topic[]): Dispose;
  /** Last error of a subscription, for display. */
  readonly errors: StoreApi<{ readonly subscriptionError: string | null }>;
}

export function createWorkstation(client: WorkstationClient): Workstation {
  const store = createStore<WorkstationState>(() => INITIAL_STATE);
  const errors = createStore<{ subscriptionError: string | null }>(() => ({ subscriptionError: null }));
  const counts = new Map<Topic, number>();
  let connected = false;

  const subscribe = (topics: readonly Topic[]): void => {
    if (!connected || topics.length === 0) return;
    client.request({ type: 'subscribe', topics }).then(
      () => errors.setState({ subscriptionError: null }),
      (error: Error) => errors.setState({ subscriptionError: error.message }),
    );
  };

  client.onEvents((events) => store.setState((state) => applyEvents(state, events)));
  client.onConnectionChange((isConnected) => {
    connected = isConnected;
    store.setState({ connected: isConnected });
    if (isConnected) subscribe([...counts.keys()]);
  });

  return {
    client,
    store,
    errors,
    useTopics(topics) {
      const added: Topic[] = [];
      for (const topic of topics) {
        const n = counts.get(topic) ?? 0;
        counts.set(topic, n + 1);
        if (n === 0) added.push(topic);
      }
      subscribe(added);
      return () => {
        const removed: Topic[] = [];
        for (const topic of topics) {
          const n = (counts.get(topic) ?? 1) - 1;
          if (n <= 0) {
            counts.delete(topic);
            removed.push(topic);
          } else counts.set(topic, n);
        }
        if (connected && removed.length > 0) void client.request({ type: 'unsubscribe', topics: removed }).catch(() => undefined);
      };
    },
  };
}
