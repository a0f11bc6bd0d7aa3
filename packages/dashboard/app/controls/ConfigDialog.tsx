import { type FormEvent, useEffect, useId, useState } from 'react';
import { ApiError } from '../api/api-error';
import type { MonitorHttp } from '../api/monitor-http';
import { errorMessage } from '../format/error-message';
import { ConfirmActions } from './ConfirmActions';
import {
  ConfigFormError,
  configChanges,
  describeChanges,
  formValuesOf,
  type OptionValues,
  optionFields,
  otherOptionsField,
} from './config-form';
import { ModalDialog } from './ModalDialog';

interface ConfigDialogProps {
  readonly service: string;
  readonly http: MonitorHttp;
  readonly onDone: (outcome: string) => void;
  readonly onCancel: () => void;
}

type Current =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly options: OptionValues | undefined }
  | { readonly status: 'failed'; readonly message: string };

interface FormError {
  /** The field to mark, when the error names one. */
  readonly field: string | undefined;
  readonly message: string;
}

/**
 * Edits a service's breaker options: fields for the common ones, JSON for
 * the rest, prefilled with the current values. Only what differs is sent
 * (`PATCH /api/circuit-breakers/:name/config`), after a confirmation that
 * lists each change; the monitor's refusal is shown next to the option it
 * names.
 */
export function ConfigDialog({ service, http, onDone, onCancel }: ConfigDialogProps) {
  const [current, setCurrent] = useState<Current>({ status: 'loading' });
  const [fields, setFields] = useState<Record<string, string>>({});
  const [other, setOther] = useState('{}');
  const [review, setReview] = useState<Record<string, unknown>>();
  const [error, setError] = useState<FormError>();
  const [busy, setBusy] = useState(false);
  const path = `/api/circuit-breakers/${encodeURIComponent(service)}`;

  useEffect(() => {
    let active = true;
    http.fetchJson<{ options?: OptionValues }>(path).then(
      (status) => {
        if (!active) return;
        const values = formValuesOf(status.options);
        setFields(values.fields);
        setOther(values.other);
        setCurrent({ status: 'ready', options: status.options });
      },
      (failure: unknown) => {
        if (active) setCurrent({ status: 'failed', message: errorMessage(failure) });
      },
    );
    return () => {
      active = false;
    };
  }, [http, path]);

  const options = current.status === 'ready' ? current.options : undefined;

  const onReview = (event: FormEvent) => {
    event.preventDefault();
    try {
      const changes = configChanges(options, fields, other);
      if (Object.keys(changes).length === 0) {
        setError({
          field: undefined,
          message: 'Nothing to change: every value is the current one.',
        });
        return;
      }
      setError(undefined);
      setReview(changes);
    } catch (failure) {
      if (!(failure instanceof ConfigFormError)) throw failure;
      setError({ field: failure.field, message: failure.message });
    }
  };

  const onConfirm = async (changes: Record<string, unknown>) => {
    setBusy(true);
    try {
      await http.patch(`${path}/config`, changes);
      onDone(`${service}: configuration changed (${describeChanges(options, changes).join('; ')})`);
    } catch (failure) {
      setBusy(false);
      setReview(undefined);
      setError({ field: fieldOf(failure), message: errorMessage(failure) });
    }
  };

  if (review !== undefined) {
    return (
      <ModalDialog title={`Change the configuration of ${service}`} onCancel={onCancel}>
        <p className="bw-dialog-text">
          The breaker of {service} takes these values at once and keeps its state and counts; the
          change is kept across restarts and recorded in the audit log.
        </p>
        <ul className="bw-change-list">
          {describeChanges(options, review).map((line) => (
            <li key={line}>
              <code>{line}</code>
            </li>
          ))}
        </ul>
        <ConfirmActions
          busy={busy}
          onCancel={() => setReview(undefined)}
          onConfirm={() => void onConfirm(review)}
        />
      </ModalDialog>
    );
  }

  return (
    <ModalDialog title={`Configuration of ${service}`} onCancel={onCancel} wide>
      {current.status === 'loading' && <p className="bw-muted">Loading the current options…</p>}
      {current.status === 'failed' && (
        <p className="bw-alert" role="alert">
          The current options cannot be read: {current.message}
        </p>
      )}
      {current.status === 'ready' && (
        <ConfigForm
          known={options !== undefined}
          fields={fields}
          other={other}
          error={error}
          onField={(name, value) => setFields((values) => ({ ...values, [name]: value }))}
          onOther={setOther}
          onSubmit={onReview}
          onCancel={onCancel}
        />
      )}
    </ModalDialog>
  );
}

interface ConfigFormProps {
  readonly known: boolean;
  readonly fields: Readonly<Record<string, string>>;
  readonly other: string;
  readonly error: FormError | undefined;
  readonly onField: (name: string, value: string) => void;
  readonly onOther: (value: string) => void;
  readonly onSubmit: (event: FormEvent) => void;
  readonly onCancel: () => void;
}

function ConfigForm(props: ConfigFormProps) {
  const { fields, error } = props;
  const formId = useId();
  const id = (name: string) => `${formId}-${name}`;
  const errorFor = (name: string) =>
    error?.field === name ? (
      <p className="bw-field-error" role="alert" id={id(`${name}-error`)}>
        {error.message}
      </p>
    ) : null;
  const invalid = (name: string) =>
    error?.field === name ? { 'aria-invalid': true, 'aria-describedby': id(`${name}-error`) } : {};

  return (
    <form className="bw-config-form" onSubmit={props.onSubmit} noValidate>
      {!props.known && (
        <p className="bw-note">
          This monitor does not report the current options: fill in only what should change.
        </p>
      )}
      {error !== undefined && error.field === undefined && (
        <p className="bw-alert" role="alert">
          {error.message}
        </p>
      )}
      <div className="bw-config-fields">
        {optionFields.map((field) => (
          <div key={field.name} className="bw-config-field">
            <label htmlFor={id(field.name)}>
              {field.label} <span className="bw-muted">({field.unit})</span>
            </label>
            <input
              id={id(field.name)}
              name={field.name}
              inputMode="decimal"
              autoComplete="off"
              value={fields[field.name] ?? ''}
              placeholder="not set"
              onChange={(event) => props.onField(field.name, event.target.value)}
              {...invalid(field.name)}
            />
            <code className="bw-option-name">{field.name}</code>
            {errorFor(field.name)}
          </div>
        ))}
      </div>
      <label htmlFor={id(otherOptionsField)}>Other options (JSON)</label>
      <textarea
        id={id(otherOptionsField)}
        name={otherOptionsField}
        rows={6}
        spellCheck={false}
        value={props.other}
        onChange={(event) => props.onOther(event.target.value)}
        {...invalid(otherOptionsField)}
      />
      {errorFor(otherOptionsField)}
      <div className="bw-dialog-actions">
        <button type="button" className="bw-button" onClick={props.onCancel}>
          Close
        </button>
        <button type="submit" className="bw-button bw-button-primary">
          Review changes
        </button>
      </div>
    </form>
  );
}

/** The form field a refusal of the monitor is about: the option it names, or its JSON. */
function fieldOf(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || error.option === undefined) return undefined;
  const top = error.option.split('.')[0] ?? '';
  if (optionFields.some((field) => field.name === top)) return top;
  return otherOptionsField;
}
