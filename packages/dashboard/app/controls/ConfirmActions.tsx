/**
 * The buttons every confirmation ends with: "Cancel", and "Confirm", which
 * stays disabled while the request it sent is under way.
 */
export function ConfirmActions(props: {
  readonly busy: boolean;
  readonly onCancel: () => void;
  readonly onConfirm: () => void;
}) {
  const { busy, onCancel, onConfirm } = props;
  return (
    <div className="bw-dialog-actions">
      <button type="button" className="bw-button" onClick={onCancel}>
        Cancel
      </button>
      <button
        type="button"
        className="bw-button bw-button-primary"
        disabled={busy}
        aria-busy={busy}
        onClick={onConfirm}
      >
        Confirm
      </button>
    </div>
  );
}
