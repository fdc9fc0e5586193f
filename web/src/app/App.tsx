import { QueryClientProvider } from '@tanstack/react-query';
import type { ComponentChildren, ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { lazy, Suspense } from 'react';
import { Redirect, Route, Switch, useLocation } from 'wouter';
import { navigate } from 'wouter/use-browser-location';
import { setUnauthorizedHandler } from '../api/client';
import { Loading } from '../components/ui';
import { me } from '../features/auth/api';
import { LoginPage } from '../features/auth/LoginPage';
import { useServerReachable, useSession } from './hooks';
import { Layout } from './Layout';
import { NeedsServer } from './NeedsServer';
import { makeQueryClient } from './queryClient';
import { getSession, updateUser } from './session';

/**
 * A page in its own chunk. If the chunk cannot be loaded because a new version was installed
 * while this tab was open (a PDV stays open all day), reload once to get the new one.
 */
function page<P extends object>(load: () => Promise<{ default: ComponentType<P> }>) {
  return lazy(() =>
    load().then(
      (m) => {
        sessionStorage.removeItem('sv.reloaded');
        return m;
      },
      (e: unknown) => {
        if (sessionStorage.getItem('sv.reloaded')) throw e;
        sessionStorage.setItem('sv.reloaded', '1');
        window.location.reload();
        return new Promise<{ default: ComponentType<P> }>(() => {});
      },
    ),
  );
}

// Every page but the login is its own chunk: the login page loads only what it needs, and
// admin pages and the charts never reach the PDV.
const PdvPage = page(() => import('../features/pdv/PdvPage'));
const DashboardPage = page(() => import('../features/dashboard/DashboardPage'));
const ProductsPage = page(() => import('../features/products/ProductsPage'));
const CategoriesPage = page(() => import('../features/categories/CategoriesPage'));
const UsersPage = page(() => import('../features/users/UsersPage'));
const SalesPage = page(() => import('../features/sales/SalesPage'));
const PasswordPage = page(() => import('../features/auth/PasswordPage'));
const ReceiptPage = page(() => import('../features/sales/ReceiptPage'));
const CashPage = page(() => import('../features/cash/CashPage'));
const SettingsPage = page(() => import('../features/settings/SettingsPage'));
const StockPage = page(() => import('../features/stock/StockPage'));
const MovementsPage = page(() => import('../features/stock/MovementsPage'));
const TransfersPage = page(() => import('../features/stock/TransfersPage'));
const CustomersPage = page(() => import('../features/customers/CustomersPage'));
const CustomerDetailPage = page(() => import('../features/customers/CustomerDetailPage'));
const AuditPage = page(() => import('../features/audit/AuditPage'));
const ReportsPage = page(() => import('../features/reports/ReportsPage'));

const queryClient = makeQueryClient();

// A 401 on any request: the session is gone (client.ts cleared it). Go to the login and come
// back here afterwards; the PDV cart lives in localStorage and is still there.
setUnauthorizedHandler(() => {
  queryClient.clear();
  const here = window.location.pathname + window.location.search;
  if (!window.location.pathname.startsWith('/login')) {
    navigate(`/login?next=${encodeURIComponent(here)}&expirou=1`, { replace: true });
  }
});

/** How long the start waits for GET /api/auth/me before going on with the stored session (a
 * network that drops packets would otherwise keep the PDV on "Verificando sessão…"). */
const SESSION_CHECK_TIMEOUT_MS = 5_000;

/** Checks the stored token once per page load (GET /api/auth/me) before showing private pages. */
let sessionChecked = false;
function useValidatedSession() {
  const session = useSession();
  const [checked, setChecked] = useState(() => sessionChecked || !getSession());
  useEffect(() => {
    if (checked) return;
    let live = true;
    me(AbortSignal.timeout(SESSION_CHECK_TIMEOUT_MS))
      .then((user) => updateUser(user))
      .catch(() => {
        // A 401 has already cleared the session; no answer keeps it (the PDV sells offline with
        // the stored user) and the next request will tell.
      })
      .finally(() => {
        sessionChecked = true;
        if (live) setChecked(true);
      });
    return () => {
      live = false;
    };
  }, [checked]);
  return { session, checked };
}

/**
 * A page for signed-in users. Only the PDV (`offline`) works without the server; any other page
 * says it needs it, instead of opening while the server is unreachable, and above itself when
 * the server goes away while it is open (what was typed stays).
 */
function Private({ children, admin = false, offline = false }: { children: ComponentChildren; admin?: boolean; offline?: boolean }) {
  const { session, checked } = useValidatedSession();
  const [location] = useLocation();
  const reachable = useServerReachable();
  // Whether the page has been shown with the server there: then it stays (with what was typed).
  const [shownOnline, setShownOnline] = useState(false);
  useEffect(() => {
    if (reachable && checked) setShownOnline(true);
  }, [reachable, checked]);
  if (!checked) return <Loading label="Verificando sessão…" />;
  if (!session) return <Redirect to={`/login?next=${encodeURIComponent(location)}`} replace />;
  // Employees never see admin pages (and the API refuses them anyway).
  if (admin && session.user.role !== 'admin') return <Redirect to="/pdv" replace />;
  const needsServer = !offline && !reachable;
  return (
    <Layout>
      {needsServer && <NeedsServer />}
      {(!needsServer || shownOnline) && <Suspense fallback={<Loading />}>{children}</Suspense>}
    </Layout>
  );
}

function Home() {
  const session = useSession();
  if (session && session.user.role !== 'admin') return <Redirect to="/pdv" replace />;
  return (
    <Private admin>
      <DashboardPage />
    </Private>
  );
}

function NotFound() {
  return (
    <main class="mx-auto max-w-md p-8 text-center">
      <h1 class="page-title">Página não encontrada</h1>
      <p class="mt-2">
        <a class="text-blue-800 underline" href="/">
          Voltar ao início
        </a>
      </p>
    </main>
  );
}

export function App() {
  // The outbox of sales made offline is sent from whichever page is open (its code in a chunk
  // of its own, so that the login page does not wait for it).
  useEffect(() => {
    let stop: (() => void) | undefined;
    let live = true;
    void import('../features/pdv/offline/sync').then((m) => {
      if (live) stop = m.startOutboxSync(queryClient);
    });
    return () => {
      live = false;
      stop?.();
    };
  }, []);
  return (
    <QueryClientProvider client={queryClient}>
      <Switch>
        <Route path="/login" component={LoginPage} />
        <Route path="/">
          <Home />
        </Route>
        <Route path="/pdv">
          <Private offline>
            <PdvPage />
          </Private>
        </Route>
        <Route path="/vendas/:id/recibo">
          {(params: { id: string }) => (
            <Private>
              <ReceiptPage key={params.id} id={Number(params.id)} />
            </Private>
          )}
        </Route>
        <Route path="/vendas">
          <Private>
            <SalesPage />
          </Private>
        </Route>
        <Route path="/caixa">
          <Private>
            <CashPage />
          </Private>
        </Route>
        <Route path="/configuracoes">
          <Private admin>
            <SettingsPage />
          </Private>
        </Route>
        <Route path="/senha">
          <Private>
            <PasswordPage />
          </Private>
        </Route>
        <Route path="/produtos/:id/movimentos">
          {(params: { id: string }) => (
            <Private admin>
              <MovementsPage key={params.id} id={Number(params.id)} />
            </Private>
          )}
        </Route>
        <Route path="/estoque">
          <Private admin>
            <StockPage />
          </Private>
        </Route>
        <Route path="/transferencias">
          <Private>
            <TransfersPage />
          </Private>
        </Route>
        <Route path="/produtos">
          <Private admin>
            <ProductsPage />
          </Private>
        </Route>
        <Route path="/categorias">
          <Private admin>
            <CategoriesPage />
          </Private>
        </Route>
        <Route path="/usuarios">
          <Private admin>
            <UsersPage />
          </Private>
        </Route>
        {/* Everyone: the API lets employees list, create and edit customers (the PDV names them). */}
        <Route path="/clientes/:id">
          {(params: { id: string }) => (
            <Private>
              <CustomerDetailPage key={params.id} id={Number(params.id)} />
            </Private>
          )}
        </Route>
        <Route path="/clientes">
          <Private>
            <CustomersPage />
          </Private>
        </Route>
        <Route path="/relatorios">
          <Private admin>
            <ReportsPage />
          </Private>
        </Route>
        <Route path="/auditoria">
          <Private admin>
            <AuditPage />
          </Private>
        </Route>
        <Route component={NotFound} />
      </Switch>
    </QueryClientProvider>
  );
}
