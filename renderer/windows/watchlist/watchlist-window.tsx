/** Quote board: bid, ask, last, change and volume per symbol; clicking a row links the symbol. */
import type { Symbol } from '../../../shared/domain';
import type { LinkGroup, Topic } from '../../../shared/protocol';
import { formatPercent, formatPrice, formatShares, signClass } from '../../components/format';
import { useTopics, useWorkstation, useWorkstationState } from '../../workstation-context';

function WatchlistRow({ symbol, selected, onPick }: { symbol: Symbol; selected: boolean; onPick: (symbol: Symbol) => void }) {
  const ticker = useWorkstationState((s) => s.tickers[symbol]);
  return (
    <tr
      className={[selected ? 'selected' : '', ticker?.stale ? 'stale' : '', ticker?.halt ? 'halted' : ''].filter(Boolean).join(' ') || undefined}
      data-symbol={symbol}
      onClick={() => onPick(symbol)}
      aria-selected={selected}
    >
      <th scope="row">
        <button type="button" className="link-button" aria-label={`Show ${symbol}`} onClick={() => onPick(symbol)}>
          {symbol}
        </button>
        {ticker?.halt ? (
          <span className="badge badge-halt" title={ticker.halt}>
            HALT
          </span>
        ) : ticker?.stale ? (
          <span className="badge badge-stale" title="No update at this symbol's usual rate: prices may be old">
            STALE
          </span>
        ) : null}
      </th>
      <td className="num">{formatPrice(ticker?.bid)}</td>
      <td className="num">{formatPrice(ticker?.ask)}</td>
      <td className="num">{formatPrice(ticker?.last)}</td>
      <td className={`num ${signClass(ticker?.change)}`}>{formatPercent(ticker?.changePercent)}</td>
      <td className="num">{formatShares(ticker?.volume)}</td>
    </tr>
  );
}

export function WatchlistWindow({ group }: { group: LinkGroup }) {
  const { client } = useWorkstation();
  useTopics(['symbols']);
  const symbols = useWorkstationState((s) => s.symbols);
  const linked = useWorkstationState((s) => s.links[group]?.symbol ?? null);
  useTopics(['links']);
  useTopics(symbols.map((s): Topic => `quotes:${s}`));
  const pick = (symbol: Symbol): void => {
    void client.request({ type: 'linkSymbol', group, symbol });
  };
  return (
    <table className="grid" aria-label="Watchlist">
      <thead>
        <tr>
          <th scope="col">Symbol</th>
          <th scope="col" className="num">Bid</th>
          <th scope="col" className="num">Ask</th>
          <th scope="col" className="num">Last</th>
          <th scope="col" className="num">Change</th>
          <th scope="col" className="num">Volume</th>
        </tr>
      </thead>
      <tbody>
        {symbols.map((symbol) => (
          <WatchlistRow key={symbol} symbol={symbol} selected={symbol === linked} onPick={pick} />
        ))}
      </tbody>
    </table>
  );
}
