import { useEffect } from 'react';

/** How long a notice stays, ms. */
const noticeLifetime = 8000;

interface NoticeProps {
  readonly message: string;
  readonly onDismiss: () => void;
}

/** The outcome of the last action, announced politely and gone after a few seconds. */
export function Notice({ message, onDismiss }: NoticeProps) {
  useEffect(() => {
    const timer = setTimeout(onDismiss, noticeLifetime);
    return () => clearTimeout(timer);
  }, [onDismiss]);
  return (
    <div className="bw-notice" role="status">
      <span>{message}</span>
      <button type="button" className="bw-button bw-button-quiet" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
