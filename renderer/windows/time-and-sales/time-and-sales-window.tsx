/**
 * Time & sales: every print of the linked symbol, newest first — time (ET, ms), price, size,
 * exchange — coloured by where it traded against the NBBO of that moment (green at or above the
 * ask: buyers lifting; red at or below the bid: sellers hitting; grey in between). The list is
 * virtualized (@tanstack/react-virtual): thousands of prints scroll without rendering them all.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { Print, PrintSide } from '../../../shared/domain';
import type { LinkGroup } from '../../../shared/protocol';
import { formatPrice, formatShares } from '../../components/format';
import { useLinkedSymbol, useTopics, useWorkstationState } from '../../workstation-context';

const ROW_HEIGHT = 18;
const EMPTY: readonly Print[] = [];

const SIDE_CLASS: Readonly<Record<PrintSide, string>> = {
  above_ask: 'print-above-ask',
  at_ask: 'print-at-ask',
  between: 'print-between',
  at_bid: 'print-at-bid',
  below_bid: 'print-below-bid',
  unknown: 'print-between',
};

const SIDE_LABEL: Readonly<Record<PrintSide, string>> = {
  above_ask: 'above the ask',
  at_ask: 'at the ask',
  between: 'between bid and ask',
  at_bid: 'at the bid',
  below_bid: 'below the bid',
  unknown: 'no quote',
};

const timeFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour12: false, hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3 });

export function TimeAndSalesWindow({ group, initialSymbol }: { group: LinkGroup; initialSymbol: string | null }) {
  const symbol = useLinkedSymbol(group, initialSymbol);
  useTopics(symbol ? [`trades:${symbol}`] : []);
  const prints = useWorkstationState((s) => (symbol ? (s.prints[symbol] ?? EMPTY) : EMPTY));
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: prints.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });
  return (
    <div className="time-and-sales">
      <div className="tns-header">
        <strong>{symbol ?? 'No symbol'}</strong> <span className="muted">{prints.length} prints</span>
      </div>
      <div className="tns-columns" aria-hidden="true">
        <span>Time (ET)</span>
        <span className="num">Price</span>
        <span className="num">Size</span>
        <span>Exch</span>
      </div>
      <div ref={scroller} className="tns-scroller" role="table" aria-label="Time and sales" data-rows={prints.length}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            // Newest first.
            const print = prints[prints.length - 1 - item.index] as Print;
            const { trade } = print;
            return (
              <div
                key={item.key}
                role="row"
                className={`tns-row ${SIDE_CLASS[print.side]}`}
                title={SIDE_LABEL[print.side]}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              >
                <span role="cell">{timeFormat.format(trade.time)}</span>
                <span role="cell" className="num">
                  {formatPrice(trade.price)}
                </span>
                <span role="cell" className="num">
                  {formatShares(trade.size)}
                </span>
                <span role="cell">{trade.exchange}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
