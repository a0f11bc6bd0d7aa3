import type { KeyboardEvent } from 'react';

export const views = ['services', 'dependencies', 'audit', 'fleet'] as const;
export type View = (typeof views)[number];

const labels: Readonly<Record<View, string>> = {
  services: 'Services',
  dependencies: 'Dependencies',
  audit: 'Audit',
  fleet: 'Fleet',
};

/** The id of a view's panel, which its tab controls. */
export function panelId(view: View): string {
  return `bw-panel-${view}`;
}

export function tabId(view: View): string {
  return `bw-tab-${view}`;
}

interface TabsProps {
  /** The views offered, in order (Fleet only for a monitor of a shared registry). */
  readonly shown: readonly View[];
  readonly current: View;
  readonly onChange: (view: View) => void;
}

/** The views as tabs; arrow keys move between them. */
export function Tabs({ shown, current, onChange }: TabsProps) {
  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    const next = shown[(shown.indexOf(current) + step + shown.length) % shown.length] ?? current;
    onChange(next);
    document.getElementById(tabId(next))?.focus();
  };
  return (
    <div className="bw-tabs" role="tablist" aria-label="Views" onKeyDown={onKeyDown}>
      {shown.map((view) => (
        <button
          key={view}
          id={tabId(view)}
          type="button"
          role="tab"
          className="bw-tab"
          aria-selected={view === current}
          aria-controls={panelId(view)}
          tabIndex={view === current ? 0 : -1}
          onClick={() => onChange(view)}
        >
          {labels[view]}
        </button>
      ))}
    </div>
  );
}
