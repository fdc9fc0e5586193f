// Validation of the product form, before the API sees it (the API checks again).
import type { Product, ProductInput, Unit } from '../../api/types';
import { centsToApi, centsToInput, parseMoneyInput, toCents } from '../../lib/money';
import { fromMilli, isFractional, parseQuantityInput, quantityToInput, validBarcode } from '../../lib/quantity';

export interface ProductValues {
  name: string;
  code: string;
  description: string;
  category_id: string;
  price: string;
  stock: string;
  min_stock: string;
  unit: Unit;
  cost_price: string;
  /** one field per barcode; empty ones are ignored */
  barcodes: string[];
  active: boolean;
}

type TextField = Exclude<keyof ProductValues, 'barcodes' | 'active' | 'unit'>;

/** Errors by field; a barcode's error is under `barcode-<its index>`, the list's under `barcodes`. */
export type ProductErrors = Partial<Record<TextField | 'unit' | 'barcodes' | `barcode-${number}`, string>>;

export const MAX_STOCK = 1_000_000_000;

export function emptyValues(): ProductValues {
  return {
    name: '',
    code: '',
    description: '',
    category_id: '',
    price: '',
    stock: '0',
    min_stock: '5',
    unit: 'UN',
    cost_price: '',
    barcodes: [''],
    active: true,
  };
}

export function valuesFrom(p: Product): ProductValues {
  return {
    name: p.name,
    code: p.code ?? '',
    description: p.description ?? '',
    category_id: String(p.category_id),
    price: centsToInput(toCents(p.price)),
    stock: quantityToInput(p.stock, p.unit),
    min_stock: quantityToInput(p.min_stock, p.unit),
    unit: p.unit ?? 'UN',
    cost_price: p.cost_price === null || p.cost_price === undefined ? '' : centsToInput(toCents(p.cost_price)),
    barcodes: p.barcodes?.length ? [...p.barcodes] : [''],
    active: p.active ?? true,
  };
}

function stockValue(text: string, unit: Unit): number | null {
  const milli = parseQuantityInput(text, unit);
  if (milli === null || milli > MAX_STOCK * 1000) return null;
  return fromMilli(milli);
}

/** Either the errors to show next to each field, or the body for the API. */
export function validateProduct(v: ProductValues, creating: boolean): { errors: ProductErrors; input?: ProductInput } {
  const errors: ProductErrors = {};
  const name = v.name.trim();
  if (!name) errors.name = 'Informe o nome do produto.';
  else if (name.length > 200) errors.name = 'Nome muito longo (máximo 200 caracteres).';

  const code = v.code.trim();
  if (code.length > 64) errors.code = 'O código tem no máximo 64 caracteres.';

  if (!v.category_id) errors.category_id = 'Escolha a categoria.';

  const price = parseMoneyInput(v.price);
  if (!v.price.trim()) errors.price = 'Informe o preço.';
  else if (price === null) errors.price = 'Preço inválido: use até duas casas decimais (ex.: 12,50).';
  else if (price <= 0) errors.price = 'O preço deve ser maior que zero.';

  const cost = v.cost_price.trim() ? parseMoneyInput(v.cost_price) : null;
  if (v.cost_price.trim() && cost === null) errors.cost_price = 'Custo inválido: use até duas casas decimais (ex.: 8,40).';

  const fractional = isFractional(v.unit);
  const quantityError = (what: string) =>
    fractional ? `${what} deve ser zero ou mais, com até três casas decimais (ex.: 2,5).` : `${what} deve ser um número inteiro, zero ou mais.`;
  const stock = stockValue(v.stock || '0', v.unit);
  if (creating && stock === null) errors.stock = quantityError('Estoque');
  const minStock = stockValue(v.min_stock || '0', v.unit);
  if (minStock === null) errors.min_stock = quantityError('Estoque mínimo');

  const barcodes: string[] = [];
  v.barcodes.forEach((raw, i) => {
    const b = raw.trim();
    if (!b) return;
    if (!validBarcode(b)) errors[`barcode-${i}`] = 'Código de barras inválido: EAN-8, EAN-13, UPC-A ou GTIN-14, com o dígito verificador.';
    else if (barcodes.includes(b)) errors[`barcode-${i}`] = 'Código de barras repetido.';
    else barcodes.push(b);
  });

  if (Object.keys(errors).length > 0) return { errors };
  const input: ProductInput = {
    name,
    description: v.description.trim(),
    price: centsToApi(price!),
    category_id: Number(v.category_id),
    code: code || null,
    min_stock: minStock!,
    unit: v.unit,
    cost_price: cost === null ? null : centsToApi(cost),
    barcodes,
    active: v.active,
  };
  if (creating) input.stock = stock!;
  return { errors, input };
}

/**
 * Maps an API error message to the field it is about, so it shows in the right place. A
 * barcode's message names the code, which tells which of the fields it is.
 */
export function fieldOfApiError(message: string, barcodes: readonly string[] = []): keyof ProductErrors | null {
  const m = message.toLowerCase();
  if (m.includes('código de barras') || m.includes('códigos de barras')) {
    const i = barcodes.findIndex((b) => b.trim() && message.includes(b.trim()));
    return i >= 0 ? `barcode-${i}` : 'barcodes';
  }
  if (m.includes('custo')) return 'cost_price';
  if (m.includes('unidade')) return 'unit';
  if (m.includes('código')) return 'code';
  if (m.includes('categoria')) return 'category_id';
  if (m.includes('preço')) return 'price';
  if (m.includes('mínimo')) return 'min_stock';
  if (m.includes('estoque')) return 'stock';
  return null;
}

/** The largest photo the server accepts (it scales it down to 800 px). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/** Why a chosen file cannot be a product's photo (checked before sending it), or null. */
export function photoProblem(file: { type: string; size: number }): string | null {
  if (!/^image\/(jpeg|png|webp)$/.test(file.type)) return 'Escolha uma imagem JPEG, PNG ou WebP.';
  if (file.size > MAX_PHOTO_BYTES) return 'Foto muito grande: escolha uma imagem de até 10 MB.';
  return null;
}
