import { lazy, Suspense, useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import type { ApiError } from '../api/api-error';
import { createMonitorHttp } from '../api/monitor-http';
import { AuditView } from '../audit/AuditView';
import { ActionDialog } from '../controls/ActionDialog';
import { ConfigDialog } from '../controls/ConfigDialog';
import type { CircuitAction } from '../controls/circuit-actions';
import { useLiveServices } from '../live/use-live-services';
import { ServicesView } from '../services/ServicesView';
import type { Session } from '../session/session';
import { Header } from './Header';
import { Notice } from './Notice';
import { panelId, Tabs, tabId, type View, views } from './Tabs';
import { useFleetSharing } from './use-fleet-sharing';

interface DashboardProps {
  readonly session: Session;
  /** Back to the login form, with the reason when the monitor refused the token. */
  readonly onSignOut: (reason?: string) => void;
}

// Loaded on first use: the charts (uPlot) and the graph (React Flow, dagre)
// are most of the app's weight, and the cards do not need them.
const ServiceDetail = lazy(() =>
  import('../detail/ServiceDetail').then((module) => ({ default: module.ServiceDetail })),
);
const DependencyGraph = lazy(() =>
  import('../graph/DependencyGraph').then((module) => ({ default: module.DependencyGraph })),
);
// Only a monitor of a shared registry has a fleet to show.
const FleetView = lazy(() =>
  import('../fleet/FleetView').then((module) => ({ default: module.FleetView })),
);

/** What the one modal dialog of the page is doing, if anything. */
type Dialog =
  | { readonly kind: 'action'; readonly service: string; readonly action: CircuitAction }
  | { readonly kind: 'config'; readonly service: string };

/**
 * The signed-in page: the header, the views (Fleet only over a shared
 * registry), the selected service's detail beside them, and the
 * confirmation dialogs of the admin controls.
 */
export function Dashboard({ session, onSignOut }: DashboardProps) {
  const { token, identity } = session;
  const isAdmin = identity.role === 'admin';
  const onRefused = useCallback(
    // The client's message says it all: "The monitor refused the token (4001: …)".
    (reason: string) => onSignOut(`${reason}. Sign in with another token.`),
    [onSignOut],
  );
  const http = useMemo(
    () =>
      createMonitorHttp({
        token,
        onUnauthorized: (error: ApiError) =>
          onSignOut(`The monitor refused the token: ${error.message}. Sign in with another token.`),
      }),
    [token, onSignOut],
  );
  const live = useLiveServices(token, onRefused);
  const shared = useFleetSharing(http);
  const shownViews = useMemo(
    () => (shared ? views : views.filter((view) => view !== 'fleet')),
    [shared],
  );
  const [view, setView] = useState<View>('services');
  const [selected, setSelected] = useState<string>();
  const [dialog, setDialog] = useState<Dialog>();
  const [notice, setNotice] = useState<{ readonly id: number; readonly message: string }>();
  const [auditVersion, actionTaken] = useReducer((count: number) => count + 1, 0);

  // Stable, so the memoised cards do not re-render when the dashboard does.
  const onSelect = useCallback((service: string) => setSelected(service), []);
  const onAction = useCallback(
    (service: string, action: CircuitAction) => setDialog({ kind: 'action', service, action }),
    [],
  );
  const onConfigure = useCallback((service: string) => setDialog({ kind: 'config', service }), []);
  const closeDialog = useCallback(() => setDialog(undefined), []);
  const closeDetail = useCallback(() => setSelected(undefined), []);
  const dismissNotice = useCallback(() => setNotice(undefined), []);
  const onDone = useCallback((message: string) => {
    setDialog(undefined);
    setNotice((previous) => ({ id: (previous?.id ?? 0) + 1, message }));
    actionTaken();
  }, []);

  // Escape closes the detail, unless it was meant for an open dialog.
  useEffect(() => {
    if (selected === undefined) return;
    const onKeyDown = (event: KeyboardEvent) => {
      const inDialog = event.target instanceof Element && event.target.closest('dialog') !== null;
      if (event.key === 'Escape' && !inDialog && !event.defaultPrevented) setSelected(undefined);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [selected]);

  const snapshot = live.services.find((service) => service.service === selected);

  return (
    <div className={`bw-app${selected === undefined ? '' : ' bw-app-with-detail'}`}>
      <Header identity={identity} live={live} onSignOut={() => onSignOut()} />
      <Tabs shown={shownViews} current={view} onChange={setView} />
      {notice !== undefined && (
        <Notice key={notice.id} message={notice.message} onDismiss={dismissNotice} />
      )}
      <div className="bw-body">
        <main className="bw-main">
          {/* Kept mounted while hidden: the filter and the search survive a look at another view. */}
          <div
            role="tabpanel"
            id={panelId('services')}
            aria-labelledby={tabId('services')}
            hidden={view !== 'services'}
          >
            <ServicesView
              services={live.services}
              selected={selected}
              isAdmin={isAdmin}
              onSelect={onSelect}
              onAction={onAction}
              onConfigure={onConfigure}
            />
          </div>
          {view === 'dependencies' && (
            <div
              role="tabpanel"
              id={panelId('dependencies')}
              aria-labelledby={tabId('dependencies')}
            >
              <Suspense fallback={<Loading what="the dependency graph" />}>
                <DependencyGraph
                  services={live.services}
                  fetchJson={http.fetchJson}
                  onSelect={onSelect}
                />
              </Suspense>
            </div>
          )}
          {view === 'audit' && (
            <div role="tabpanel" id={panelId('audit')} aria-labelledby={tabId('audit')}>
              <AuditView
                identity={identity}
                services={live.services}
                http={http}
                version={auditVersion}
              />
            </div>
          )}
          {view === 'fleet' && shared && (
            <div role="tabpanel" id={panelId('fleet')} aria-labelledby={tabId('fleet')}>
              <Suspense fallback={<Loading what="the fleet" />}>
                <FleetView http={http} />
              </Suspense>
            </div>
          )}
        </main>
        {selected !== undefined && (
          <aside className="bw-detail-panel" aria-label="Service detail">
            <Suspense fallback={<Loading what={`the detail of ${selected}`} />}>
              <ServiceDetail
                key={selected}
                name={selected}
                snapshot={snapshot}
                fetchJson={http.fetchJson}
                showActors={isAdmin}
                onClose={closeDetail}
              />
            </Suspense>
          </aside>
        )}
      </div>
      {isAdmin && dialog?.kind === 'action' && (
        <ActionDialog
          service={dialog.service}
          action={dialog.action}
          http={http}
          onDone={onDone}
          onCancel={closeDialog}
        />
      )}
      {isAdmin && dialog?.kind === 'config' && (
        <ConfigDialog service={dialog.service} http={http} onDone={onDone} onCancel={closeDialog} />
      )}
    </div>
  );
}

function Loading({ what }: { readonly what: string }) {
  return <p className="bw-empty bw-loading">Loading {what}…</p>;
}
