/**
 * The command palette (Ctrl+K, or Cmd+K on macOS): open any window kind, load a symbol in this
 * window's link group, save or restore a layout, cancel all orders, flatten, or the kill switch —
 * by typing a few letters. Built on `cmdk` (fuzzy matching, keyboard navigation, ARIA combobox).
 */
import { Command } from 'cmdk';
import { useEffect, useState } from 'react';
import { WINDOW_KINDS, WINDOW_TITLES, type LinkGroup, type WindowKind } from '../../shared/protocol';
import { useTopics, useWorkstation, useWorkstationState } from '../workstation-context';
import { layoutActions } from '../layouts/layout-actions';

/** Ctrl+K (or Cmd+K), with no other modifier. */
export function isPaletteChord(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): boolean {
  return event.key.toLowerCase() === 'k' && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey;
}

export function CommandPalette({ group }: { group: LinkGroup }) {
  const { client } = useWorkstation();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  useTopics(open ? ['symbols', 'layouts'] : []);
  const symbols = useWorkstationState((s) => s.symbols);
  const layouts = useWorkstationState((s) => s.layouts);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (!isPaletteChord(event)) return;
      event.preventDefault();
      setOpen((o) => !o);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const close = (): void => {
    setOpen(false);
    setSearch('');
  };
  const run = (action: () => Promise<string | null> | string | null | void): void => {
    close();
    Promise.resolve(action()).then(
      (text) => setMessage(text ?? null),
      (error: Error) => setMessage(error.message),
    );
  };
  const actions = layoutActions(client);
  const typed = search.trim().toUpperCase();
  const layoutName = search.trim();

  return (
    <>
      <Command.Dialog open={open} onOpenChange={(o) => (o ? setOpen(true) : close())} label="Command palette" className="command-palette" overlayClassName="command-overlay">
        <Command.Input value={search} onValueChange={setSearch} placeholder="Open a window, load a symbol, save a layout…" aria-label="Command" />
        <Command.List>
          <Command.Empty>No command matches.</Command.Empty>
          <Command.Group heading="Windows">
            {WINDOW_KINDS.filter((k): k is Exclude<WindowKind, 'launcher'> => k !== 'launcher').map((kind) => (
              <Command.Item key={kind} value={`Open ${WINDOW_TITLES[kind]}`} onSelect={() => run(() => client.openWindow({ kind, group }))}>
                Open {WINDOW_TITLES[kind]}
              </Command.Item>
            ))}
          </Command.Group>
          <Command.Group heading="Symbols">
            {symbols.map((symbol) => (
              <Command.Item key={symbol} value={`Load ${symbol}`} keywords={[symbol]} onSelect={() => run(async () => `${(await client.request({ type: 'linkSymbol', group, symbol })).symbol} loaded`)}>
                Load {symbol}
              </Command.Item>
            ))}
          </Command.Group>
          <Command.Group heading="Layouts">
            {layoutName !== '' && (
              <Command.Item value={`Save layout as ${layoutName}`} onSelect={() => run(() => actions.save(layoutName))}>
                Save layout as “{layoutName}”
              </Command.Item>
            )}
            {layouts.map((layout) => (
              <Command.Item key={layout.name} value={`Restore layout ${layout.name}`} onSelect={() => run(() => actions.restore(layout))}>
                Restore layout {layout.name}
              </Command.Item>
            ))}
          </Command.Group>
          <Command.Group heading="Orders">
            <Command.Item value="Cancel all orders" onSelect={() => run(async () => `${(await client.request({ type: 'cancelAll' })).canceled} orders canceled`)}>
              Cancel all orders
            </Command.Item>
            {typed && symbols.includes(typed) && (
              <Command.Item value={`Cancel ${typed} orders`} onSelect={() => run(async () => `${(await client.request({ type: 'cancelAll', symbol: typed })).canceled} ${typed} orders canceled`)}>
                Cancel {typed} orders
              </Command.Item>
            )}
            <Command.Item value="Flatten all positions" onSelect={() => run(async () => `${(await client.request({ type: 'flattenAll' })).orders.length} closing orders sent`)}>
              Flatten all positions
            </Command.Item>
            <Command.Item value="Kill switch" onSelect={() => run(async () => `Kill switch: ${(await client.request({ type: 'killSwitch' })).canceled} orders canceled, trading halted`)}>
              Kill switch: cancel all, flatten all, halt
            </Command.Item>
          </Command.Group>
        </Command.List>
      </Command.Dialog>
      {message && (
        <div className="palette-message" role="status" data-testid="palette-message">
          {message}
          <button type="button" className="small" aria-label="Dismiss" onClick={() => setMessage(null)}>
            ×
          </button>
        </div>
      )}
    </>
  );
}
