// The inventory count as plain data: each scan adds to the product's counted quantity (one unit,
// or a scale label's weight); the list shows stock vs counted and the difference; the
// confirmation sends one count per product and keeps what each answered.
import type { Product } from '../../api/types';
import { fromMilli, toMilli } from '../../lib/quantity';

export type LineStatus =
  | { kind: 'pending' }
  | { kind: 'sending' }
  | { kind: 'recorded'; stock: number }
  | { kind: 'unchanged' }
  | { kind: 'error'; message: string };

export interface CountLine {
  product: Product;
  /** in the product's unit */
  counted: number;
  status: LineStatus;
}

export interface CountState {
  lines: CountLine[];
  /** the product last scanned (highlighted) */
  last: number | null;
}

export type CountAction =
  | { type: 'scan'; product: Product; quantity: number }
  | { type: 'set'; productId: number; counted: number }
  | { type: 'remove'; productId: number }
  | { type: 'status'; productId: number; status: LineStatus; product?: Product }
  | { type: 'clear' };

export const emptyCount = (): CountState => ({ lines: [], last: null });

export function countReducer(state: CountState, action: CountAction): CountState {
  switch (action.type) {
    case 'scan': {
      const existing = state.lines.find((l) => l.product.id === action.product.id);
      if (!existing) {
        return { lines: [...state.lines, { product: action.product, counted: action.quantity, status: { kind: 'pending' } }], last: action.product.id };
      }
      const counted = fromMilli(toMilli(existing.counted) + toMilli(action.quantity));
      return {
        lines: state.lines.map((l) => (l === existing ? { ...l, counted, status: { kind: 'pending' } } : l)),
        last: action.product.id,
      };
    }
    case 'set':
      return {
        ...state,
        lines: state.lines.map((l) => (l.product.id === action.productId ? { ...l, counted: Math.max(0, action.counted), status: { kind: 'pending' } } : l)),
      };
    case 'remove':
      return { lines: state.lines.filter((l) => l.product.id !== action.productId), last: state.last === action.productId ? null : state.last };
    case 'status':
      return {
        ...state,
        lines: state.lines.map((l) => (l.product.id === action.productId ? { ...l, status: action.status, product: action.product ?? l.product } : l)),
      };
    case 'clear':
      return emptyCount();
  }
}

/** Counted minus the stock known (positive: more on the shelf than the system says). */
export const difference = (l: CountLine): number => fromMilli(toMilli(l.counted) - toMilli(l.product.stock));

/** The lines still to send (not yet confirmed, or refused). */
export const toSend = (s: CountState): CountLine[] => s.lines.filter((l) => l.status.kind === 'pending' || l.status.kind === 'error');

/** What the count screen read: "7891000100103", or "12*7891000100103" (twelve of them; "1,5*123" by weight). */
export function parseCountEntry(text: string): { quantity: number; term: string } {
  const t = text.trim();
  const m = /^(\d{1,7}(?:[.,]\d{1,3})?)\s*\*\s*(\S.*)$/.exec(t);
  if (m) {
    const q = fromMilli(toMilli(Number(m[1]!.replace(',', '.'))));
    if (q > 0) return { quantity: q, term: m[2]!.trim() };
  }
  return { quantity: 1, term: t };
}
