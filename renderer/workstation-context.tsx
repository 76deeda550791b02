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

/**
 * The symbol this window shows in link group `group`: the symbol it was opened with (`own`),
 * then each symbol picked in the group while it is open. A window opened without a symbol takes
 * the group's current one, else the feed's first symbol.
 */
export function useLinkedSymbol(group: LinkGroup, own: string | null): string | null {
  useTopics(['links', 'symbols']);
  const link = useWorkstationState((s) => s.links[group]);
  const firstSymbol = useWorkstationState((s) => s.symbols[0] ?? null);
  if (link && (!link.snapshot || own === null)) return link.symbol;
  return own ?? firstSymbol;
}
