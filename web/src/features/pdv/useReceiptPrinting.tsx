import { useEffect, useState } from 'preact/hooks';
import { createPortal } from 'react-dom';
import type { Sale, Settings } from '../../api/types';
import { pageStyle, Receipt, storedFormat } from '../../components/Receipt';
import { usePaymentLabel, useTimezone } from '../info/api';
import { usePrintSale } from '../sales/api';
import { hasPrinter, useSettings } from '../settings/api';
import { useStores } from '../stores/api';
import type { Notice } from './notice';

/**
 * Prints a sale's receipt from the PDV without leaving it: on the network thermal printer of
 * the settings of the store the PDV sells in when there is one (POST
 * /api/sales/{id}/print), otherwise through the browser
 * (only the receipt goes to the paper; a PDV computer usually runs the browser with
 * `--kiosk-printing`, which prints without asking).
 */
export function useReceiptPrinting(notify: (n: Notice) => void, settings: Settings | undefined) {
  const thermal = usePrintSale();
  const [inBrowser, setInBrowser] = useState<Sale | null>(null);

  /** `local`: a sale kept on this terminal, which the server (and its printer) does not have yet. */
  function print(sale: Sale, local = false) {
    if (hasPrinter(settings) && !local) {
      thermal.mutate(sale.id, {
        onError: (e) => notify({ kind: 'error', text: `Venda nº ${sale.id} registrada, mas o recibo não foi impresso: ${e.message}` }),
      });
    } else {
      setInBrowser(sale);
    }
  }

  return {
    print,
    /** whether the PDV prints each sale's receipt (settings' auto_print) */
    auto: !!settings?.auto_print,
    printing: thermal.isPending || inBrowser !== null,
    printer: inBrowser && <BrowserPrint sale={inBrowser} onDone={setInBrowser} />,
  };
}

/** `onDone(null)` once printed: a state setter, so that the effect below runs once. */
function BrowserPrint({ sale, onDone }: { sale: Sale; onDone: (s: null) => void }) {
  const settings = useSettings(sale.store_id);
  const [host] = useState(() => {
    const el = document.createElement('div');
    el.id = 'print-receipt';
    document.body.appendChild(el);
    return el;
  });
  const timeZone = useTimezone();
  const label = usePaymentLabel();
  const format = storedFormat();
  const { several } = useStores();

  useEffect(() => {
    const root = document.documentElement;
    root.classList.add('printing-receipt');
    // After the receipt is on the page (this effect runs after the render).
    const t = setTimeout(() => {
      window.print();
      root.classList.remove('printing-receipt');
      onDone(null);
    }, 50);
    return () => {
      clearTimeout(t);
      root.classList.remove('printing-receipt');
      host.remove();
    };
  }, [host, onDone]);

  return createPortal(
    <>
      <style>{pageStyle(format)}</style>
      <Receipt sale={sale} settings={settings} timeZone={timeZone} paymentLabel={label} format={format} showStore={several} />
    </>,
    host,
  );
}
