/** React access to the window's {@link Workstation}: state selectors and topic subscriptions. */
import { createContext, useContext, useEffect } from 'react';
import { useStore } from 'zustand';
import type { LinkGroup, Topic } from '../shared/protocol';
import type { WorkstationState } from './state/reducers';
import type { Workstation } from './state/workstation-store';

export const WorkstationContext = createContext<Workstation | null>(null);

/** The window's workstation. @throws {Error} outside a provider. */
export function useWorkstation(): Workstation {
  const workstation = useContext(WorkstationContext);
  if (!workstation) throw new Error('useWorkstation needs a WorkstationContext provider');
  return workstation;
}

/** Selects a slice of the state; re-renders only when it changes (use atomic selectors). */
export function useWorkstationState<T>(selector: (state: WorkstationState) => T): T {
  return useStore(useWorkstation().store, selector);
}

/** Keeps the window subscribed to `topics` while mounted. */
export function useTopics(topics: readonly Topic[]): void {
  const workstation = useWorkstation();
  const key = topics.join('|');
  useEffect(() => workstation.useTopics(key ? (key.split('|') as Topic[]) : []), [workstation, key]);
}

/** The symbol linked in `group`, or `fallback` until one is picked. */
export function useLinkedSymbol(group: LinkGroup, fallback: string | null): string | null {
  useTopics(['links']);
  return useWorkstationState((s) => s.links[group]) ?? fallback;
}
