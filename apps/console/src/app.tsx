import { lazy, Suspense } from 'react';
import { HashRouter, Navigate, NavLink, Outlet, Route, Routes } from 'react-router';
import { AuditPage } from './audit/audit-page';
import { OperationsPage } from './operations/operations-page';
import { OversightPage } from './oversight/oversight-page';
import { QueuePage } from './queue/queue-page';
import { ResolvePage } from './resolve/resolve-page';
import { SessionProvider, useOptionalSession } from './session/session';
import { SignInPage } from './session/sign-in-page';
import { TaskPage } from './task/task-page';

// The metrics screen carries the charting library: its own chunk, fetched when someone opens it.
const MetricsPage = lazy(() =>
  import('./metrics/metrics-page').then((module) => ({ default: module.MetricsPage })),
);

/** Which screens each role works in; the gateway enforces the same roles on every call behind them. */
export const SCREENS = [
  { path: '/queue', label: 'Review queue', roles: ['reviewer', 'supervisor'] },
  { path: '/resolve', label: 'Failed actions', roles: ['reviewer', 'supervisor'] },
  { path: '/oversight', label: 'Oversight', roles: ['supervisor', 'admin', 'sre'] },
  { path: '/audit', label: 'Audit', roles: ['auditor', 'supervisor'] },
  { path: '/operations', label: 'Operations', roles: ['sre', 'admin'] },
  // Last, so each role still lands on the screen it works in.
  { path: '/metrics', label: 'Metrics', roles: ['supervisor', 'admin', 'sre', 'auditor'] },
];

function Layout() {
  const { session, signOut, hasRole } = useOptionalSession();
  if (!session) return <SignInPage />;
  const screens = SCREENS.filter((screen) => hasRole(...screen.roles));
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <span className="brand">Oversight</span>
        <nav aria-label="Screens">
          {screens.map((screen) => (
            <NavLink key={screen.path} to={screen.path}>
              {screen.label}
            </NavLink>
          ))}
        </nav>
        <span className="who" data-testid="signed-in-as">
          {session.user.id} <span className="muted">({session.user.roles.join(', ')})</span>
        </span>
        <button type="button" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {screens.length === 0 ? (
          <p role="status">Your roles ({session.user.roles.join(', ')}) have no screen in this console.</p>
        ) : (
          <Outlet />
        )}
      </main>
    </>
  );
}

function Home() {
  const { hasRole } = useOptionalSession();
  const first = SCREENS.find((screen) => hasRole(...screen.roles));
  return first ? <Navigate to={first.path} replace /> : null;
}

export function App() {
  // Hash routes: the gateway serves one index.html and every screen is a fragment of it.
  return (
    <SessionProvider>
      <HashRouter>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<Home />} />
            <Route path="queue" element={<QueuePage />} />
            <Route path="tasks/:decisionId" element={<TaskPage />} />
            <Route path="resolve" element={<ResolvePage />} />
            <Route path="resolve/:decisionId" element={<ResolvePage />} />
            <Route path="oversight" element={<OversightPage />} />
            <Route path="audit" element={<AuditPage />} />
            <Route path="audit/:decisionId" element={<AuditPage />} />
            <Route path="operations" element={<OperationsPage />} />
            <Route
              path="metrics"
              element={
                <Suspense fallback={<p role="status">Loading the metrics screen…</p>}>
                  <MetricsPage />
                </Suspense>
              }
            />
            <Route path="*" element={<Home />} />
          </Route>
        </Routes>
      </HashRouter>
    </SessionProvider>
  );
}
