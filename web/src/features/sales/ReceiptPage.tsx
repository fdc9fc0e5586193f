// /vendas/:id/recibo — the receipt of a sale, to print in the browser (80 mm or 58 mm thermal
// roll, or A4; the choice is remembered on this computer) or on the shop's network thermal
// printer, with the data of the sale's store. `?imprimir=1` prints as soon as it is shown.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Link } from 'wouter';
import { useTitle } from '../../app/hooks';
import { pageStyle, Receipt, RECEIPT_FORMATS, type ReceiptFormat, storedFormat, storeFormat } from '../../components/Receipt';
import { Alert, Loading } from '../../components/ui';
import { usePaymentLabel, useTimezone } from '../info/api';
import { hasPrinter, settingsQueries } from '../settings/api';
import { useStores } from '../stores/api';
import { saleQueries, usePrintSale } from './api';

export default function ReceiptPage({ id }: { id: number }) {
  useTitle(`Recibo da venda nº ${id}`);
  const sale = useQuery(saleQueries.detail(id));
  const settings = useQuery({ ...settingsQueries.of(sale.data?.store_id), enabled: sale.isSuccess });
  const timeZone = useTimezone();
  const label = usePaymentLabel();
  const { several } = useStores();
  const [format, setFormat] = useState<ReceiptFormat>(storedFormat);
  const thermal = usePrintSale();
  const printedRef = useRef(false);
  const ready = sale.isSuccess && !settings.isPending;

  useEffect(() => {
    if (!ready || printedRef.current) return;
    if (new URLSearchParams(window.location.search).get('imprimir') === '1') {
      printedRef.current = true;
      setTimeout(() => window.print(), 100);
    }
  }, [ready]);

  function choose(f: ReceiptFormat) {
    setFormat(f);
    storeFormat(f);
  }

  return (
    <div class="space-y-3 print:space-y-0">
      <style>{pageStyle(format)}</style>
      <div class="flex flex-wrap items-end justify-between gap-2 print:hidden">
        <div>
          <h1 class="page-title">Recibo da venda nº {id}</h1>
          <Link href="/vendas" class="text-sm text-blue-800 underline">
            Voltar às vendas
          </Link>
        </div>
        <div class="flex flex-wrap items-end gap-2">
          <div>
            <label class="label" htmlFor="receipt-format">
              Papel
            </label>
            <select id="receipt-format" class="input" value={format} onChange={(e) => choose(e.currentTarget.value as ReceiptFormat)}>
              {RECEIPT_FORMATS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          </div>
          <button type="button" class="btn btn-primary" disabled={!ready} onClick={() => window.print()}>
            Imprimir
          </button>
          {hasPrinter(settings.data) && (
            <button type="button" class="btn" disabled={!ready || thermal.isPending} onClick={() => thermal.mutate(id)}>
              {thermal.isPending ? 'Enviando…' : 'Imprimir na impressora térmica'}
            </button>
          )}
        </div>
      </div>
      <div class="print:hidden" aria-live="polite">
        {thermal.isError && <Alert>{thermal.error.message}</Alert>}
        {thermal.isSuccess && <Alert kind="success">Recibo enviado para a impressora.</Alert>}
      </div>
      {!ready && !sale.isError && <Loading />}
      {sale.isError && <Alert>{sale.error.message}</Alert>}
      {/* Only with the store's data at hand: a receipt is never shown, nor printed, with the shop's defaults. */}
      {ready && sale.data && (
        <div class={`mx-auto bg-white shadow print:shadow-none ${format === 'a4' ? 'max-w-3xl p-8 print:p-0' : 'w-fit'}`}>
          <Receipt sale={sale.data} settings={settings.data} timeZone={timeZone} paymentLabel={label} format={format} showStore={several} />
        </div>
      )}
    </div>
  );
}
