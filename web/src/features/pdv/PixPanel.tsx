import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'preact/hooks';
import { isUnreachable } from '../../api/client';
import { useDebounced, useServerReachable } from '../../app/hooks';
import { Alert } from '../../components/ui';
import { formatCents } from '../../lib/money';
import { pdvQueries } from './api';

/** The SVG document the server draws, as an <img> source (the CSP allows data: images). */
export const svgDataUrl = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/** Copies text: the Clipboard API where the page is secure (https, localhost), else the old way. */
export async function copyText(text: string, fallbackField?: HTMLTextAreaElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall back below
  }
  if (!fallbackField) return false;
  fallbackField.focus();
  fallbackField.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

/**
 * The PIX of a payment line: the static BR Code for the amount as a QR and as "copia e cola"
 * text. A static code tells the shop nothing: the cashier confirms the sale after seeing the
 * payment on the customer's phone (or in the bank's app).
 */
export function PixPanel({ cents, storeId }: { cents: number; storeId: number | undefined }) {
  const amount = useDebounced(cents, 250);
  const online = useServerReachable();
  const pix = useQuery({ ...pdvQueries.pix(amount, storeId), enabled: online && amount > 0 });
  const fieldRef = useRef<HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState<'ok' | 'fail' | null>(null);
  const current = amount === cents ? pix.data : undefined;

  return (
    <section aria-label="Pagamento por Pix" class="mt-4 rounded-md border border-teal-300 bg-teal-50 p-3" data-testid="pix-panel">
      <p class="text-sm font-semibold">Pix de {formatCents(cents)}</p>
      {(!online || isUnreachable(pix.error)) && (
        <Alert kind="info">
          <span data-testid="pix-offline">
            Sem conexão com o servidor: o QR Code do Pix não pode ser gerado agora. Use o QR Code impresso da loja (ou outra forma de
            pagamento).
          </span>
        </Alert>
      )}
      {online && pix.isError && !isUnreachable(pix.error) && <Alert>{pix.error.message}</Alert>}
      {online && !pix.isError && !current && <p class="py-6 text-center text-sm text-slate-700">Gerando o QR Code…</p>}
      {current && (
        <div class="mt-2 flex flex-col items-center gap-3 sm:flex-row sm:items-start">
          <img
            src={svgDataUrl(current.svg)}
            alt={`QR Code Pix de ${formatCents(cents)}`}
            width={208}
            height={208}
            class="shrink-0 bg-white p-2"
            data-testid="pix-qr"
          />
          <div class="w-full min-w-0">
            <label class="label" htmlFor="pix-payload">
              Pix copia e cola
            </label>
            <textarea
              ref={fieldRef}
              id="pix-payload"
              readOnly
              rows={4}
              class="input break-all font-mono text-xs"
              value={current.payload}
              data-testid="pix-payload"
            />
            <button
              type="button"
              class="btn btn-sm mt-1"
              onClick={() => void copyText(current.payload, fieldRef.current).then((ok) => setCopied(ok ? 'ok' : 'fail'))}
            >
              Copiar código
            </button>
            <span class="ml-2 text-xs" aria-live="polite">
              {copied === 'ok' ? 'Copiado.' : copied === 'fail' ? 'Não foi possível copiar: selecione o texto e copie.' : ''}
            </span>
          </div>
        </div>
      )}
      <p class="mt-2 text-sm font-medium text-amber-900" data-testid="pix-warning">
        Este QR Code é estático: o sistema não recebe a confirmação do pagamento. Confira o Pix recebido no celular do
        cliente (ou no app do banco) antes de confirmar a venda.
      </p>
    </section>
  );
}
