import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ComponentChildren } from 'preact';
import { Link, useLocation } from 'wouter';
import { transferQueries } from '../features/stock/api';
import { useStores } from '../features/stores/api';
import { ROLE_LABELS } from '../lib/labels';
import { useSession } from './hooks';
import { clearSession } from './session';

const ADMIN_LINKS = [
  ['/', 'Painel'],
  ['/pdv', 'PDV'],
  ['/caixa', 'Caixa'],
  ['/vendas', 'Vendas'],
  ['/relatorios', 'Relatórios'],
  ['/clientes', 'Clientes'],
  ['/produtos', 'Produtos'],
  ['/estoque', 'Estoque'],
  ['/transferencias', 'Transferências'],
  ['/categorias', 'Categorias'],
  ['/usuarios', 'Usuários'],
  ['/auditoria', 'Auditoria'],
  ['/configuracoes', 'Configurações'],
] as const;
const EMPLOYEE_LINKS = [
  ['/pdv', 'PDV'],
  ['/caixa', 'Caixa'],
  ['/vendas', 'Minhas vendas'],
  ['/clientes', 'Clientes'],
  ['/transferencias', 'Transferências'],
] as const;

export function Layout({ children }: { children: ComponentChildren }) {
  const session = useSession();
  const [location, setLocation] = useLocation();
  const qc = useQueryClient();
  const isAdmin = session?.user.role === 'admin';
  // Transfers exist only with several stores: an administrator sees the page then, an employee
  // (who sees only their own stores) once some transfer concerns their store.
  const several = useStores().several;
  const transfers = useQuery({ ...transferQueries.any(), enabled: !!session && !isAdmin });
  const transfersShown = isAdmin ? several : (transfers.data?.total ?? 0) > 0;
  const links = (isAdmin ? ADMIN_LINKS : EMPLOYEE_LINKS).filter(([href]) => href !== '/transferencias' || transfersShown);

  function logout() {
    clearSession();
    qc.clear();
    setLocation('/login');
  }

  return (
    <div class="min-h-screen">
      <a href="#conteudo" class="print:hidden sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:bg-white focus:p-2">
        Ir para o conteúdo
      </a>
      <header class="bg-slate-900 text-white print:hidden">
        <div class="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-1 px-3 py-2">
          <span class="font-bold">Sistema de Vendas</span>
          <nav aria-label="Principal" class="order-3 w-full overflow-x-auto sm:order-none sm:w-auto">
            <ul class="flex gap-1">
              {links.map(([href, label]) => {
                const active = href === '/' ? location === '/' : location.startsWith(href);
                return (
                  <li key={href}>
                    <Link
                      href={href}
                      aria-current={active ? 'page' : undefined}
                      class={`block whitespace-nowrap rounded px-2.5 py-1.5 text-sm ${active ? 'bg-white text-slate-900' : 'text-slate-100 hover:bg-slate-700'}`}
                    >
                      {label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
          <div class="ml-auto flex items-center gap-2 text-sm">
            <span data-testid="current-user">
              {session?.user.username}{' '}
              <span class="text-slate-300">({session && ROLE_LABELS[session.user.role].toLowerCase()})</span>
            </span>
            <Link href="/senha" class="rounded px-2 py-1 text-slate-100 underline hover:bg-slate-700">
              Alterar senha
            </Link>
            <button type="button" onClick={logout} class="rounded border border-slate-500 px-2 py-1 hover:bg-slate-700">
              Sair
            </button>
          </div>
        </div>
      </header>
      <main id="conteudo" class="mx-auto max-w-7xl p-3 sm:p-4 print:m-0 print:max-w-none print:p-0">
        {children}
      </main>
    </div>
  );
}
