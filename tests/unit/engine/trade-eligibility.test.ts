import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TradeCondition as C } from '../../../shared/trade-conditions';
import { alpacaConditions, polygonConditions, updatesHighLow, updatesOpenClose, updatesVolume } from '../../../electron/engine/bars/trade-eligibility';
import { LEAN_DIR } from '../../support/shared-data';

const POLYGON_TABLE = join(LEAN_DIR, '..', 'polygon', 'conditions.json');

interface PolygonCondition {
  id: number;
  name: string;
  sip_mapping: { CTA?: string; UTP?: string };
  update_rules: { consolidated: { updates_high_low: boolean; updates_open_close: boolean; updates_volume: boolean } };
}

const rules = (mask: number) => ({ updates_high_low: updatesHighLow(mask), updates_open_close: updatesOpenClose(mask), updates_volume: updatesVolume(mask) });

describe('sale-condition eligibility', () => {
  const table = existsSync(POLYGON_TABLE) ? (JSON.parse(readFileSync(POLYGON_TABLE, 'utf8')) as { results: PolygonCondition[] }).results : [];

  it.each(table.map((c) => [c.id, c.name, c] as const))("Polygon condition %i (%s) follows Polygon's consolidated update rules", (_id, _name, condition) => {
    expect(rules(polygonConditions([condition.id]))).toEqual(condition.update_rules.consolidated);
  });

  it.each(table.flatMap((c) => Object.entries(c.sip_mapping).map(([tape, code]) => [tape, code, c] as const)).filter(([tape, code]) => !(tape === 'CTA' && code === 'I')))(
    'Alpaca %s letter %s has the same rules as its Polygon entry',
    (tape, code, condition) => {
      expect(rules(alpacaConditions([code], tape === 'UTP' ? 'C' : 'A'))).toEqual(condition.update_rules.consolidated);
    },
  );

  it('reads tape-dependent letters by tape: W is an average-price trade on UTP only', () => {
    expect(updatesHighLow(alpacaConditions(['W'], 'C'))).toBe(false);
    expect(updatesHighLow(alpacaConditions(['W'], 'A'))).toBe(true);
  });

  it('treats codes named like object properties as unknown codes: the print counts as regular', () => {
    for (const code of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(alpacaConditions([code], 'C')).toBe(alpacaConditions([], 'C'));
      expect(alpacaConditions([code], 'A')).toBe(alpacaConditions([], 'A'));
    }
  });

  it('combines conditions: any one that forbids a field wins', () => {
    const mask = alpacaConditions(['@', 'F', 'I'], 'C');
    expect(rules(mask)).toEqual({ updates_high_low: false, updates_open_close: false, updates_volume: true });
    expect(polygonConditions([])).toBe(C.Regular);
    expect(rules(polygonConditions([15]))).toEqual({ updates_high_low: false, updates_open_close: false, updates_volume: false });
  });
});
