/**
 * The chart toolbar's overlay menu: a button that opens a list of checkboxes, one per overlay
 * (accessible names `VWAP`, `VWAP bands`, `EMA 9`, … `RSI`, `MACD`). It closes on a click
 * outside; Escape is left alone because it is the trader's cancel-orders hotkey.
 */
import { useEffect, useRef, useState } from 'react';
import { OVERLAYS, OVERLAY_IDS, toggleOverlay, type OverlayId } from './chart-overlays';

/** Props of {@link OverlayMenu}. */
export interface OverlayMenuProps {
  readonly overlays: readonly OverlayId[];
  /** Receives the new list, in menu order. */
  readonly onChange: (overlays: OverlayId[]) => void;
}

/** The overlay menu of a chart. */
export function OverlayMenu({ overlays, onChange }: OverlayMenuProps) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) return undefined;
    const closeOutside = (event: PointerEvent): void => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', closeOutside);
    return () => document.removeEventListener('pointerdown', closeOutside);
  }, [open]);
  return (
    <span className="chart-overlay-menu" ref={rootRef}>
      <button type="button" className="small" aria-haspopup="true" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        Indicators
      </button>
      {open ? (
        <span className="chart-overlay-popup" role="group" aria-label="Chart indicators">
          {OVERLAY_IDS.map((id) => (
            <label key={id}>
              <input type="checkbox" aria-label={OVERLAYS[id].label} checked={overlays.includes(id)} onChange={(e) => onChange(toggleOverlay(overlays, id, e.target.checked))} />
              <span className="chart-swatch" style={{ background: OVERLAYS[id].color }} aria-hidden="true" />
              {OVERLAYS[id].label}
            </label>
          ))}
        </span>
      ) : null}
    </span>
  );
}
