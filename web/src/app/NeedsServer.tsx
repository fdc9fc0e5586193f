import { useState } from 'preact/hooks';
import { Link } from 'wouter';
import { request } from '../api/client';

/** What a page other than the PDV shows while the server cannot be reached. */
export function NeedsServer() {
  const [trying, setTrying] = useState(false);
  async function retry() {
    setTrying(true);
    // Any answer tells connectivity.ts, and the page opens.
    await request('/api/info').catch(() => {});
    setTrying(false);
  }
  return (
    <div role="alert" class="mb-4 rounded-md border border-amber-300 bg-amber-50 p-4 text-amber-950" data-testid="needs-server">
      <p class="font-semibold">Esta página precisa do servidor, que não está respondendo agora.</p>
      <p class="mt-1 text-sm">
        O PDV continua vendendo sem conexão: as vendas ficam guardadas neste terminal e são enviadas quando o servidor voltar.
      </p>
      <p class="mt-3 flex flex-wrap gap-2">
        <Link href="/pdv" class="btn btn-primary">
          Ir para o PDV
        </Link>
        <button type="button" class="btn" onClick={() => void retry()} disabled={trying}>
          {trying ? 'Tentando…' : 'Tentar de novo'}
        </button>
      </p>
    </div>
  );
}
