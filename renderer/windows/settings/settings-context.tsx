/**
 * State shared by the tabs of the Settings window — the settings shown, whether the risk limits
 * are locked, each tab's draft (kept while the trader switches tabs) — and {@link useTabForm},
 * which edits, validates and applies one tab's draft.
 */
import { createContext, useContext, useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Settings } from '../../../shared/domain';
import { WorkstationRequestError, type SettingsPatch } from '../../../shared/protocol';
import { useWorkstation } from '../../workstation-context';
import { collectDraftErrors, displayError, fieldFor, leafPaths, problemOf, type FieldErrors, type FieldProblem } from './settings-form';

/** The tabs of the Settings window. */
export type SettingsTabId = 'strategies' | 'risk' | 'data' | 'hotkeys' | 'notifications' | 'appearance' | 'storage' | 'health';

/** Where a tab's Apply stands. */
export type ApplyStatus =
  | { readonly kind: 'idle' }
  | { readonly kind: 'saving' }
  | { readonly kind: 'saved' }
  | { readonly kind: 'failed'; readonly message: string };

interface FormEntry {
  /** The trader's edits; `undefined` when the tab shows the settings as they are. */
  readonly draft: unknown;
  /** The engine's answer to the last Apply, when it refused it. */
  readonly serverError: FieldProblem | null;
  readonly status: ApplyStatus;
}

/** Drafts per tab. */
export type FormsState = Readonly<Partial<Record<SettingsTabId, FormEntry>>>;

/** A store of the tabs' drafts, one per Settings window. */
export function createFormsStore(): StoreApi<FormsState> {
  return createStore<FormsState>(() => ({}));
}

/** What the Settings window gives its tabs. */
export interface SettingsWindowState {
  /** The settings in effect (null until the engine sent them). */
  readonly settings: Settings | null;
  /** Risk limits locked for this session (RiskStatus.settingsLocked). */
  readonly riskLocked: boolean;
  readonly forms: StoreApi<FormsState>;
  /** Called with the engine's reply after a successful `updateSettings`. */
  readonly onSaved: (settings: Settings) => void;
}

/** Provided by `SettingsWindow` to its tabs. */
export const SettingsWindowContext = createContext<SettingsWindowState | null>(null);

/** The Settings window's shared state. @throws {Error} outside the window. */
export function useSettingsWindow(): SettingsWindowState {
  const state = useContext(SettingsWindowContext);
  if (!state) throw new Error('useSettingsWindow needs a SettingsWindowContext provider');
  return state;
}

/** How a tab's draft is made from the settings and sent back. Keep specs at module level (stable identity). */
export interface FormSpec<D> {
  readonly tab: SettingsTabId;
  /** The tab's draft of the current settings. */
  fromSettings(settings: Settings): D;
  /** The `updateSettings` patch of a (valid) draft. */
  toPatch(draft: D): SettingsPatch;
  /** A valid value shaped like the draft, to find every bad field (see `collectDraftErrors`). */
  fallback(settings: Settings, draft: D): unknown;
  /** Messages that replace or add to the schema's (hotkey conflicts). */
  extraErrors?(draft: D): FieldErrors;
}

/** One tab's form: the values shown, their errors, and Apply. */
export interface TabForm<D> {
  readonly draft: D;
  /** The trader changed something not yet applied. */
  readonly dirty: boolean;
  readonly readOnly: boolean;
  /** Message per field path, from the form's validation or the engine's reply. */
  readonly errors: FieldErrors;
  /** Problems that belong to no field of the tab, as sentences. */
  readonly formErrors: readonly string[];
  /** Dirty, valid, not being sent and not read-only. */
  readonly canApply: boolean;
  readonly status: ApplyStatus;
  edit(change: (draft: D) => D): void;
  /** Sends the tab's patch with `updateSettings`; resolves when the engine answered. */
  apply(): Promise<void>;
  /** Drops the edits. */
  revert(): void;
}

const IDLE: ApplyStatus = { kind: 'idle' };
const CLEAN: FormEntry = { draft: undefined, serverError: null, status: IDLE };
const NO_ERRORS: FieldErrors = {};

/**
 * The form of one tab: shows the current settings until the trader edits, then the draft;
 * validates the draft on every edit with `applySettingsPatch` (as the engine will) and maps each
 * problem to its field; Apply sends `updateSettings` with the tab's patch and shows the engine's
 * refusal next to the field it names. When the settings change elsewhere and the tab is not
 * dirty, the form follows them. Null until the settings arrive.
 */
export function useTabForm<D>(spec: FormSpec<D>, options: { readonly readOnly?: boolean } = {}): TabForm<D> | null {
  const { settings, forms, onSaved } = useSettingsWindow();
  const { client } = useWorkstation();
  const entry = useStore(forms, (s) => s[spec.tab]) ?? CLEAN;
  const readOnly = options.readOnly === true;
  const source = useMemo(() => (settings ? spec.fromSettings(settings) : null), [settings, spec]);
  const dirty = entry.draft !== undefined && !readOnly;
  const draft = dirty ? (entry.draft as D) : source;
  const fields = useMemo(() => (draft === null ? [] : leafPaths(draft)), [draft]);
  const clientErrors = useMemo((): FieldErrors => {
    if (!dirty || settings === null || draft === null) return NO_ERRORS;
    const found = collectDraftErrors({ current: settings, draft, toPatch: spec.toPatch, fallback: spec.fallback(settings, draft) });
    return spec.extraErrors ? { ...found, ...spec.extraErrors(draft) } : found;
  }, [dirty, settings, draft, spec]);

  // A tab that became read-only (risk limits locked) drops its edits.
  const staleDraft = readOnly && entry.draft !== undefined;
  useEffect(() => {
    if (staleDraft) forms.setState((state) => ({ ...state, [spec.tab]: CLEAN }));
  }, [staleDraft, forms, spec.tab]);

  if (draft === null || settings === null) return null;

  const serverError = entry.serverError;
  const errors: FieldErrors = serverError ? { [fieldFor(serverError.field, fields)]: serverError.message, ...clientErrors } : clientErrors;
  const formErrors = Object.entries(errors)
    .filter(([field]) => !fields.includes(field))
    .map(([field, message]) => (field === '' ? `${message.charAt(0).toUpperCase()}${message.slice(1)}` : displayError(field, message)));
  const canApply = dirty && Object.keys(clientErrors).length === 0 && entry.status.kind !== 'saving';
  const tab = spec.tab;

  const edit = (change: (draft: D) => D): void => {
    if (readOnly) return;
    forms.setState((state) => {
      const base = state[tab]?.draft !== undefined ? (state[tab]?.draft as D) : source;
      return base === null ? state : { ...state, [tab]: { draft: change(base), serverError: null, status: IDLE } };
    });
  };

  const apply = async (): Promise<void> => {
    if (!canApply) return;
    const sent = draft;
    forms.setState((state) => ({ ...state, [tab]: { draft: sent, serverError: null, status: { kind: 'saving' } } }));
    try {
      const reply = await client.request({ type: 'updateSettings', settings: spec.toPatch(sent) });
      onSaved(reply.settings);
      // Edits made while the reply was on its way stay a draft.
      forms.setState((state) => (state[tab]?.draft === sent ? { ...state, [tab]: { draft: undefined, serverError: null, status: { kind: 'saved' } } } : state));
    } catch (error) {
      const problem = error instanceof WorkstationRequestError ? problemOf({ field: error.field, message: error.message }) : { field: '', message: String(error) };
      forms.setState((state) => ({
        ...state,
        [tab]: { ...(state[tab] ?? CLEAN), serverError: problem, status: { kind: 'failed', message: 'Not saved: the engine refused the change' } },
      }));
    }
  };

  const revert = (): void => forms.setState((state) => ({ ...state, [tab]: CLEAN }));

  return { draft, dirty, readOnly, errors, formErrors, canApply, status: entry.status, edit, apply, revert };
}
