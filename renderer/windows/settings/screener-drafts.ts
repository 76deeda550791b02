/**
 * Screener instances in the Strategies tab: names of the kinds, ids derived from the name a
 * trader types, new instances with the kind's default parameters, and the valid stand-ins the
 * form's validation uses (see `collectDraftErrors`).
 */
import { DEFAULT_GAP_AND_GO, DEFAULT_VWAP_RECLAIM, type ScreenerConfig, type ScreenerKind } from '../../../shared/domain';

/** Screener kinds as the trader reads them. */
export const SCREENER_KIND_LABELS: Readonly<Record<ScreenerKind, string>> = {
  'gap-and-go': 'Gap & Go',
  'vwap-reclaim': 'VWAP reclaim',
};

/** Longest screener id the settings schema accepts. */
const MAX_ID_LENGTH = 40;

/**
 * A name as an id: lower-case letters, digits and dashes, starting with a letter or digit, at
 * most 40 characters (the settings schema's rule). `"Gap & Go (small caps)"` →
 * `"gap-and-go-small-caps"`; accents are dropped (`"Réclaim"` → `"reclaim"`). Empty when the name
 * has no letter or digit.
 */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replaceAll('&', ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_ID_LENGTH)
    .replace(/-+$/, '');
}

/**
 * A stable id for a new screener instance: the slug of its name (the kind when the name has no
 * letter or digit), made unique among `existingIds` with a `-2`, `-3`, … suffix, never longer
 * than 40 characters. `deriveScreenerId("Gap & Go", ["gap-and-go"], "gap-and-go")` → `"gap-and-go-2"`.
 */
export function deriveScreenerId(name: string, existingIds: Iterable<string>, kind: ScreenerKind): string {
  const taken = new Set(existingIds);
  const base = slugify(name) || kind;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, MAX_ID_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * A new screener instance of `kind` with the kind's default parameters, every symbol of the feed,
 * 3 alerts per symbol per day and 15 minutes between alerts. An empty name becomes the kind's
 * name, numbered when that name is taken ("Gap & Go 2").
 */
export function newScreener(kind: ScreenerKind, name: string, existing: readonly ScreenerConfig[]): ScreenerConfig {
  const names = new Set(existing.map((s) => s.name.trim().toLowerCase()));
  let finalName = name.trim();
  if (finalName === '') {
    finalName = SCREENER_KIND_LABELS[kind];
    for (let n = 2; names.has(finalName.toLowerCase()); n++) finalName = `${SCREENER_KIND_LABELS[kind]} ${n}`;
  }
  const id = deriveScreenerId(finalName, existing.map((s) => s.id), kind);
  const base = { id, name: finalName, enabled: true, symbols: [], maxAlertsPerDay: 3, cooldownMinutes: 15 };
  return kind === 'gap-and-go' ? { ...base, kind, params: DEFAULT_GAP_AND_GO } : { ...base, kind, params: DEFAULT_VWAP_RECLAIM };
}

/**
 * A valid screener of the same kind, for finding further errors of a draft once one field of
 * `screener` is known to be bad: its values replace only the bad ones. Ids are unique per index.
 */
export function fallbackScreener(screener: ScreenerConfig, index: number): ScreenerConfig {
  const base = { id: `screener-${index}`, name: 'Screener', enabled: screener.enabled, symbols: [], maxAlertsPerDay: 1, cooldownMinutes: 0 };
  return screener.kind === 'gap-and-go' ? { ...base, kind: 'gap-and-go', params: DEFAULT_GAP_AND_GO } : { ...base, kind: 'vwap-reclaim', params: DEFAULT_VWAP_RECLAIM };
}
