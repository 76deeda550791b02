/**
 * Launcher: opens any window kind (each can be opened several times) and manages layouts: save
 * the open windows under a name, restore one (the one saved on this monitor arrangement comes
 * first), rename or delete. Ctrl+K opens the command palette in any window.
 */
import { useState, type FormEvent } from 'react';
import { WINDOW_KINDS, WINDOW_TITLES, WorkstationRequestError, type WindowKind } from '../../../shared/protocol';
import { arrangementKey } from '../../../shared/layouts';
import { browserDisplay } from '../../layouts/browser-desk';
import { layoutActions } from '../../layouts/layout-actions';
import { formatExchangeDate, formatExchangeTime } from '../../components/format';
import { useTopics, useWorkstation, useWorkstationState } from '../../workstation-context';

const KINDS = WINDOW_KINDS.filter((k): k is Exclude<WindowKind, 'launcher'> => k !== 'launcher');

function LayoutsSection() {
  const { client } = useWorkstation();
  useTopics(['layouts']);
  const layouts = useWorkstationState((s) => s.layouts);
  const [name, setName] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const actions = layoutActions(client);
  // The headless host sees one screen; the Electron app keys by its real displays.
  const here = window.workstation ? null : arrangementKey([browserDisplay()]);
  const ordered = [...layouts].sort((a, b) => Number(b.arrangementKey === here) - Number(a.arrangementKey === here) || b.savedAt - a.savedAt);
  const report = (promise: Promise<string>): void => {
    promise.then(
      (text) => setMessage({ kind: 'ok', text }),
      (error: unknown) => setMessage({ kind: 'error', text: error instanceof WorkstationRequestError || error instanceof Error ? error.message : String(error) }),
    );
  };
  const onSave = (event: FormEvent): void => {
    event.preventDefault();
    report(actions.save(name));
  };
  return (
    <section aria-label="Layouts" className="launcher-layouts">
      <h2>Layouts</h2>
      <form onSubmit={onSave} className="launcher-row">
        <input aria-label="Layout name" placeholder="Name, e.g. Morning" value={name} onChange={(e) => setName(e.target.value)} maxLength={60} />
        <button type="submit">Save layout</button>
      </form>
      <table className="grid" aria-label="Saved layouts">
        <tbody>
          {ordered.map((layout) => (
            <tr key={layout.name} data-layout={layout.name}>
              <th scope="row">{layout.name}</th>
              <td className="muted">
                {layout.windows.length} windows · {formatExchangeDate(layout.savedAt)} {formatExchangeTime(layout.savedAt)}
                {here !== null && layout.arrangementKey !== here ? ' · other screens' : ''}
              </td>
              <td>
                <button type="button" className="small" aria-label={`Restore layout ${layout.name}`} onClick={() => report(actions.restore(layout))}>
                  Restore
                </button>{' '}
                <button
                  type="button"
                  className="small"
                  aria-label={`Delete layout ${layout.name}`}
                  onClick={() => report(client.request({ type: 'deleteLayout', name: layout.name }).then(() => `Deleted layout “${layout.name}”`))}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {message && (
        <p role="status" className={message.kind === 'error' ? 'down' : 'muted'}>
          {message.text}
        </p>
      )}
    </section>
  );
}

export function LauncherWindow() {
  const { client } = useWorkstation();
  return (
    <div className="launcher">
      <nav aria-label="Open a window">
        <h1>Trading Workstation</h1>
        {KINDS.map((kind) => (
          <button key={kind} type="button" onClick={() => client.openWindow({ kind })}>
            Open {WINDOW_TITLES[kind]}
          </button>
        ))}
        <p className="muted">Ctrl+K (⌘K) in any window: the command palette.</p>
      </nav>
      <LayoutsSection />
    </div>
  );
}
