/**
 * Labelled inputs of the Settings window. Each field sits in a wrapper with `data-field` (its
 * dotted settings path); its error is shown right under it (`role="alert"`, the same
 * `data-field`, linked with `aria-describedby`). Numbers and lists keep the text as typed while
 * it is not valid, so the trader can fix it.
 */
import { useId, useState, type ReactNode } from 'react';
import type { ApplyStatus, TabForm } from './settings-context';
import {
  displayError,
  formatNumberInput,
  formatNumberList,
  formatSymbolList,
  parseNumberInput,
  parseNumberList,
  parseSymbolList,
  sameNumber,
  setAt,
  valueAt,
} from './settings-form';

/** What every field takes. */
interface FieldBase {
  /** Dotted settings path, e.g. `risk.maxOrderQuantity`. */
  readonly field: string;
  /** What the trader reads, with the unit: "Max order notional (USD)". */
  readonly label: string;
  readonly error?: string | undefined;
  readonly readOnly?: boolean | undefined;
  /** One line under the field. */
  readonly hint?: string | undefined;
  /** Keep the label for screen readers and tests only (fields in a table with column headers). */
  readonly hideLabel?: boolean | undefined;
}

/** A field's value and setter, as {@link bindField} makes them. */
interface Bound<V> {
  readonly value: V;
  readonly onChange: (value: V) => void;
}

/**
 * The props that tie a field to a path of a tab's draft: `field`, `value`, `onChange`, `error`
 * and `readOnly`. `<NumberField label="…" {...bindField<number>(form, 'risk.maxOrderQuantity')} />`.
 */
export function bindField<V>(form: TabForm<unknown>, path: string): Bound<V> & Pick<FieldBase, 'field' | 'error' | 'readOnly'> {
  return {
    field: path,
    value: valueAt(form.draft, path) as V,
    onChange: (value: V) => form.edit((draft) => setAt(draft, path, value)),
    error: form.errors[path],
    readOnly: form.readOnly,
  };
}

/** {@link bindField} for a {@link NumberField}. */
export const bindNumber = (form: TabForm<unknown>, path: string) => bindField<number | null>(form, path);
/** {@link bindField} for a {@link CheckboxField}. */
export const bindBoolean = (form: TabForm<unknown>, path: string) => bindField<boolean>(form, path);
/** {@link bindField} for a {@link TextField}. */
export const bindText = (form: TabForm<unknown>, path: string) => bindField<string>(form, path);
/** {@link bindField} for a {@link SymbolListField}. */
export const bindSymbols = (form: TabForm<unknown>, path: string) => bindField<readonly string[]>(form, path);
/** {@link bindField} for a {@link NumberListField}. */
export const bindNumbers = (form: TabForm<unknown>, path: string) => bindField<readonly number[]>(form, path);

interface ShellProps extends FieldBase {
  readonly className?: string;
  readonly children: (ids: { readonly id: string; readonly describedBy: string | undefined; readonly invalid: true | undefined }) => ReactNode;
  /** The label after the input (checkboxes). */
  readonly labelAfter?: boolean;
}

function FieldShell({ field, label, error, hint, hideLabel, className, children, labelAfter }: ShellProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  const labelElement = (
    <label htmlFor={id} className={hideLabel ? 'sr-only' : undefined}>
      {label}
    </label>
  );
  return (
    <div className={`settings-field${className ? ` ${className}` : ''}${error ? ' invalid' : ''}`} data-field={field}>
      {!labelAfter && labelElement}
      {children({ id, describedBy, invalid: error ? true : undefined })}
      {labelAfter && labelElement}
      {hint && (
        <p className="field-hint muted" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId} role="alert" data-field={field}>
          {displayError(label, error)}
        </p>
      )}
    </div>
  );
}

/**
 * Text that follows `value` when it changes from outside, but keeps what the trader typed while
 * it parses to `value`; the third item tidies valid text into its canonical form (on blur).
 */
function useTypedText<V>(
  value: V,
  format: (value: V) => string,
  parse: (text: string) => V,
  same: (a: V, b: V) => boolean,
): [string, (text: string) => void, () => void] {
  const [text, setText] = useState(() => format(value));
  const [shown, setShown] = useState(value);
  if (!same(shown, value)) {
    setShown(value);
    if (!same(parse(text), value)) setText(format(value));
  }
  const tidy = (): void => {
    const canonical = format(value);
    if (canonical !== text && canonical !== '' && same(parse(text), value)) setText(canonical);
  };
  return [text, setText, tidy];
}

/** A number, e.g. USD, shares, %, seconds. Empty is `null` when `optional`, else invalid. */
export function NumberField(
  props: FieldBase & Bound<number | null> & { readonly min?: number; readonly max?: number; readonly step?: number | 'any'; readonly optional?: boolean },
) {
  const { value, onChange, min, max, step = 'any', optional = false, readOnly } = props;
  const parse = (text: string) => parseNumberInput(text, optional);
  const [text, setText, tidy] = useTypedText(value, formatNumberInput, parse, sameNumber);
  return (
    <FieldShell {...props}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          type="number"
          inputMode="decimal"
          className="num"
          value={text}
          min={min}
          max={max}
          step={step}
          readOnly={readOnly}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => {
            setText(e.target.value);
            onChange(parse(e.target.value));
          }}
          onBlur={tidy}
        />
      )}
    </FieldShell>
  );
}

/** Free text (a name, a chord). `onBlur` may tidy it (e.g. normalize a chord). */
export function TextField(props: FieldBase & Bound<string> & { readonly onBlur?: () => void; readonly placeholder?: string }) {
  const { value, onChange, readOnly, onBlur, placeholder } = props;
  return (
    <FieldShell {...props}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          value={value}
          readOnly={readOnly}
          placeholder={placeholder}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
          onBlur={onBlur}
        />
      )}
    </FieldShell>
  );
}

/** A yes/no setting. */
export function CheckboxField(props: FieldBase & Bound<boolean>) {
  const { value, onChange, readOnly } = props;
  return (
    <FieldShell {...props} className="settings-check" labelAfter>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          type="checkbox"
          checked={value}
          disabled={readOnly}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.checked)}
        />
      )}
    </FieldShell>
  );
}

/** One option of a {@link SelectField}. */
export interface Choice<T extends string> {
  readonly value: T;
  readonly label: string;
}

/** One of a few choices. */
export function SelectField<T extends string>(props: FieldBase & Bound<T> & { readonly choices: readonly Choice<T>[] }) {
  const { value, onChange, readOnly, choices } = props;
  return (
    <FieldShell {...props}>
      {({ id, describedBy, invalid }) => (
        <select id={id} value={value} disabled={readOnly} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => onChange(e.target.value as T)}>
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

const sameList = <T,>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/** Symbols typed as a comma or space separated list, upper-cased. */
export function SymbolListField(props: FieldBase & Bound<readonly string[]> & { readonly placeholder?: string }) {
  const { value, onChange, readOnly, placeholder } = props;
  const [text, setText, tidy] = useTypedText<readonly string[]>(value, formatSymbolList, parseSymbolList, sameList);
  return (
    <FieldShell {...props}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          value={text}
          readOnly={readOnly}
          placeholder={placeholder}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => {
            setText(e.target.value);
            onChange(parseSymbolList(e.target.value));
          }}
          onBlur={tidy}
        />
      )}
    </FieldShell>
  );
}

/** Numbers typed as a comma or space separated list (share sizes). */
export function NumberListField(props: FieldBase & Bound<readonly number[]>) {
  const { value, onChange, readOnly } = props;
  const [text, setText, tidy] = useTypedText<readonly number[]>(value, formatNumberList, parseNumberList, sameList);
  return (
    <FieldShell {...props}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          value={text}
          readOnly={readOnly}
          inputMode="numeric"
          autoComplete="off"
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => {
            setText(e.target.value);
            onChange(parseNumberList(e.target.value));
          }}
          onBlur={tidy}
        />
      )}
    </FieldShell>
  );
}

function statusText(status: ApplyStatus): string {
  switch (status.kind) {
    case 'saving':
      return 'Saving…';
    case 'saved':
      return 'Saved';
    case 'failed':
      return status.message;
    case 'idle':
      return '';
  }
}

/**
 * The foot of a tab's form: Apply (a submit button, disabled while a field is invalid or nothing
 * changed), Revert, the outcome ("Saved"), and problems that belong to no field.
 */
export function ApplyBar({ form, note }: { readonly form: TabForm<unknown>; readonly note?: string }) {
  const invalid = Object.keys(form.errors).length;
  return (
    <div className="apply-bar">
      <button type="submit" className="apply" disabled={!form.canApply}>
        Apply
      </button>
      <button type="button" disabled={!form.dirty} onClick={form.revert}>
        Revert
      </button>
      <span role="status" className={`apply-status apply-${form.status.kind}`}>
        {statusText(form.status)}
      </span>
      {form.dirty && invalid > 0 && (
        <span className="muted">
          {invalid === 1 ? '1 field needs fixing' : `${invalid} fields need fixing`} before Apply
        </span>
      )}
      {note && <span className="muted">{note}</span>}
      {form.formErrors.map((message) => (
        <p key={message} className="field-error form-error" role="alert">
          {message}
        </p>
      ))}
    </div>
  );
}

/** A tab's form: Enter in a field applies (when Apply is enabled). */
export function SettingsForm({ form, label, children }: { readonly form: TabForm<unknown>; readonly label: string; readonly children: ReactNode }) {
  return (
    <form
      className="settings-form"
      aria-label={label}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void form.apply();
      }}
    >
      {children}
    </form>
  );
}
