import { useState } from 'react';
import type { MonitorHttp } from '../api/monitor-http';
import { errorMessage } from '../format/error-message';
import { ConfirmActions } from './ConfirmActions';
import {
  type ActionResult,
  actionPath,
  type CircuitAction,
  circuitActions,
  describeActionResult,
} from './circuit-actions';
import { ModalDialog } from './ModalDialog';

interface ActionDialogProps {
  readonly service: string;
  readonly action: CircuitAction;
  readonly http: MonitorHttp;
  /** The action was applied; `outcome` says what changed. */
  readonly onDone: (outcome: string) => void;
  readonly onCancel: () => void;
}

/**
 * Says what the action will do to which service, and sends it on Confirm.
 * The dialog closes once the monitor has applied it; a refusal stays in the
 * dialog with the monitor's message.
 */
export function ActionDialog({ service, action, http, onDone, onCancel }: ActionDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const definition = circuitActions[action];

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await http.post<ActionResult>(actionPath(service, action));
      onDone(describeActionResult(result));
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  };

  return (
    <ModalDialog title={`${definition.label}: ${service}`} onCancel={onCancel}>
      <p className="bw-dialog-text">{definition.consequence(service)}</p>
      {error !== undefined && (
        <p className="bw-alert" role="alert">
          {error}
        </p>
      )}
      <ConfirmActions busy={busy} onCancel={onCancel} onConfirm={() => void confirm()} />
    </ModalDialog>
  );
}
