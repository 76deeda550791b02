/** A banner while the window is not connected to the engine, and the last subscription error. */
import { useStore } from 'zustand';
import { useWorkstation, useWorkstationState } from '../workstation-context';

export function ConnectionBanner() {
  const connected = useWorkstationState((s) => s.connected);
  const subscriptionError = useStore(useWorkstation().errors, (s) => s.subscriptionError);
  if (!connected) return <div className="banner banner-error" role="alert">Disconnected from the engine — reconnecting…</div>;
  if (subscriptionError) return <div className="banner banner-warn" role="alert">{subscriptionError}</div>;
  return null;
}
