// A sale's receipt ("cupom não fiscal") as HTML, for the receipt page and for the PDV's automatic
// printing. Sized in millimetres for 80 mm and 58 mm thermal paper, or an A4 sheet; the @page
// rule that goes with the size is `pageStyle`.
import type { PaymentMethod, Sale, Settings } from '../api/types';
import { formatDateTime } from '../lib/dates';
import { formatBRL } from '../lib/money';
import { formatQuantityShort } from '../lib/quantity';

export type ReceiptFormat = '80mm' | '58mm' | 'a4';

export const RECEIPT_FORMATS: readonly { value: ReceiptFormat; label: string }[] = [
  { value: '80mm', label: 'Bobina 80 mm' },
  { value: '58mm', label: 'Bobina 58 mm' },
  { value: 'a4', label: 'Folha A4' },
];

const FORMAT_KEY = 'sv.receipt.format';

/** The paper chosen on this computer (the receipt page's selector remembers it). */
export function storedFormat(): ReceiptFormat {
  try {
    const v = localStorage.getItem(FORMAT_KEY);
    return v === '58mm' || v === 'a4' ? v : '80mm';
  } catch {
    return '80mm';
  }
}

export function storeFormat(format: ReceiptFormat): void {
  try {
    localStorage.setItem(FORMAT_KEY, format);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

/**
 * The @page rule for the paper: a thermal roll has no fixed height and no margins (the printer
 * has its own), an A4 sheet keeps the usual ones.
 */
export function pageStyle(format: ReceiptFormat): string {
  return format === 'a4' ? '@page { size: A4; margin: 15mm }' : `@page { size: ${format === '58mm' ? '58mm' : '80mm'} auto; margin: 0 }`;
}

/** "12.345.678/0001-95" from the 14 characters the server keeps (letters too, in the new CNPJ). */
export function formatCnpj(cnpj: string): string {
  const c = cnpj.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  if (c.length !== 14) return cnpj;
  return `${c.slice(0, 2)}.${c.slice(2, 5)}.${c.slice(5, 8)}/${c.slice(8, 12)}-${c.slice(12)}`;
}

/**
 * The customer's document as the receipt prints it, with its kind: "CPF: 529.982.247-25" or
 * "CNPJ: 12.ABC.345/01DE-35" (the server sends it punctuated; a CPF has 11 digits, a CNPJ 14
 * characters), as the server's own ESC/POS receipt does.
 */
export function customerDocument(document: string): string {
  const kind = document.replace(/[^0-9A-Za-z]/g, '').length === 11 ? 'CPF' : 'CNPJ';
  return `${kind}: ${document}`;
}

function Row({ label, value, strong = false, testId }: { label: string; value: string; strong?: boolean; testId?: string }) {
  return (
    <div class={`receipt-row ${strong ? 'receipt-strong' : ''}`} data-testid={testId}>
      <span>{label}</span>
      <span class="receipt-value">{value}</span>
    </div>
  );
}

const minus = (value: number) => `−${formatBRL(value)}`;

export function Receipt({
  sale,
  settings,
  timeZone,
  paymentLabel,
  format,
  showStore = false,
}: {
  sale: Sale;
  settings: Settings | undefined;
  timeZone: string;
  paymentLabel: (m: PaymentMethod) => string;
  format: ReceiptFormat;
  /** print the sale's store under the shop's name (a shop with several stores; a sale of a store
   * other than the first names it anyway: an employee of that store sees no other) */
  showStore?: boolean;
}) {
  const cancelled = sale.status === 'cancelada';
  const itemName = new Map(sale.items.map((i) => [i.id, i.product_name]));
  const unitOf = new Map(sale.items.map((i) => [i.id, i.unit]));
  return (
    <article class={`receipt receipt-${format}`} data-testid="receipt" aria-label={`Recibo da venda nº ${sale.id}`}>
      <header class="receipt-center">
        <p class="receipt-shop">{settings?.shop_name?.trim() || 'Sistema de Vendas'}</p>
        {(showStore || sale.store_id !== 1) && sale.store_name && <p data-testid="receipt-store">{sale.store_name}</p>}
        {settings?.shop_cnpj && <p>CNPJ {formatCnpj(settings.shop_cnpj)}</p>}
        {settings?.shop_address && <p>{settings.shop_address}</p>}
        {settings?.shop_phone && <p>Tel. {settings.shop_phone}</p>}
      </header>
      <p class="receipt-center receipt-notice">NÃO É DOCUMENTO FISCAL</p>
      {cancelled && (
        <div class="receipt-center receipt-cancelled" data-testid="receipt-cancelled">
          <p>VENDA CANCELADA</p>
          {sale.cancelled_at && (
            <p class="receipt-small">
              {formatDateTime(sale.cancelled_at, timeZone)}
              {sale.cancelled_by ? ` por ${sale.cancelled_by}` : ''}
            </p>
          )}
          {sale.cancel_reason && <p class="receipt-small">Motivo: {sale.cancel_reason}</p>}
        </div>
      )}
      <section class="receipt-section">
        {/* id 0: a sale kept on the terminal while the server was unreachable; it gets its number there. */}
        <Row label={sale.id > 0 ? `Venda nº ${sale.id}` : 'Venda guardada no terminal'} value={formatDateTime(sale.timestamp, timeZone)} />
        <p>Vendedor: {sale.user_username}</p>
        {sale.customer && (
          <div data-testid="receipt-customer">
            <p>Cliente: {sale.customer.name}</p>
            {sale.customer.document && <p>{customerDocument(sale.customer.document)}</p>}
          </div>
        )}
      </section>
      <section class="receipt-section" aria-label="Itens">
        {sale.items.map((i) => (
          <div key={i.id} class="receipt-item">
            <p class="receipt-name">{i.product_name}</p>
            <Row label={`${formatQuantityShort(i.quantity, i.unit)} × ${formatBRL(i.price_at_sale)}`} value={formatBRL(i.subtotal)} />
            {i.discount_amount > 0 && <Row label="  desconto" value={minus(i.discount_amount)} />}
            {i.returned_quantity > 0 && <p class="receipt-small">devolvido(s): {formatQuantityShort(i.returned_quantity, i.unit)}</p>}
          </div>
        ))}
      </section>
      <section class="receipt-section">
        <Row label="Subtotal" value={formatBRL(sale.subtotal_amount)} />
        {sale.discount_amount > 0 && <Row label="Descontos" value={minus(sale.discount_amount)} testId="receipt-discount" />}
        <Row label="TOTAL" value={formatBRL(sale.total_amount)} strong testId="receipt-total" />
      </section>
      {sale.payments.length > 0 && (
        <section class="receipt-section" aria-label="Pagamentos">
          {sale.payments.map((p, n) => (
            <div key={n}>
              <Row label={paymentLabel(p.method)} value={formatBRL(p.amount)} />
              {p.tendered !== null && p.tendered !== p.amount && <Row label="  recebido" value={formatBRL(p.tendered)} />}
            </div>
          ))}
          {sale.change > 0 && <Row label="Troco" value={formatBRL(sale.change)} strong testId="receipt-change" />}
        </section>
      )}
      {sale.payments.length === 0 && sale.payment_method && (
        <section class="receipt-section" aria-label="Pagamentos">
          <Row label={paymentLabel(sale.payment_method)} value={formatBRL(sale.total_amount)} />
        </section>
      )}
      {sale.discount_approved_by && <p class="receipt-small">Desconto aprovado por {sale.discount_approved_by}</p>}
      {sale.returns.length > 0 && (
        <section class="receipt-section" aria-label="Devoluções" data-testid="receipt-returns">
          <p class="receipt-strong">DEVOLUÇÕES</p>
          {sale.returns.map((r) => (
            <div key={r.id} class="receipt-item">
              <Row label={formatDateTime(r.created_at, timeZone)} value={minus(r.refund_amount)} />
              {r.items.map((ri) => (
                <p key={ri.sale_item_id} class="receipt-small">
                  {formatQuantityShort(ri.quantity, unitOf.get(ri.sale_item_id))} × {itemName.get(ri.sale_item_id) ?? `item ${ri.sale_item_id}`}
                </p>
              ))}
              <p class="receipt-small">
                Reembolso em {paymentLabel(r.refund_method)} · {r.user_username}
              </p>
              <p class="receipt-small">Motivo: {r.reason}</p>
            </div>
          ))}
          <Row label="Total devolvido" value={minus(sale.refunded_amount)} />
        </section>
      )}
      <p class="receipt-center receipt-notice">NÃO É DOCUMENTO FISCAL</p>
    </article>
  );
}
