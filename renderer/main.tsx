/** Entry of every renderer window. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { WINDOW_TITLES } from '../shared/protocol';
import { App, windowParamsFrom } from './app';
import { createClient } from './client/create-client';
import { joinBrowserDesk } from './layouts/browser-desk';
import { createWorkstation } from './state/workstation-store';
import { WorkstationContext } from './workstation-context';
import './styles.css';

const params = windowParamsFrom(window.location.search);
document.title = `${WINDOW_TITLES[params.kind]}${params.symbol ? ` — ${params.symbol}` : ''}`;
const workstation = createWorkstation(createClient(window.location));
// In the headless host, windows meet on a broadcast channel to save and restore layouts.
if (!window.workstation) joinBrowserDesk(params.kind);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <WorkstationContext.Provider value={workstation}>
      <App {...params} />
    </WorkstationContext.Provider>
  </StrictMode>,
);
