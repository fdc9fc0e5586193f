// Validation of the product form, before the API sees it (the API checks again).
import type { Product, ProductInput } from '../../api/types';
import { centsToApi, centsToInput, parseMoneyInput, toCents } from '../../lib/money';

export interface ProductValues {
  name: string;
  code: string;
  description: string;
  category_id: string;
  price: string;
  stock: string;
  min_stock: string;
}

export type ProductErrors = Partial<Record<keyof ProductValues, string>>;

export const MAX_STOCK = 1_000_000_000;

export function emptyValues(): ProductValues {
  return { name: '', code: '', description: '', category_id: '', price: '', stock: '0', min_stock: '5' };
}

export function valuesFrom(p: Product): ProductValues {
  return {
    name: p.name,
    code: p.code ?? '',
    description: p.description ?? '',
    category_id: String(p.category_id),
    price: centsToInput(toCents(p.price)),
    stock: String(p.stock),
    min_stock: String(p.min_stock),
  };
}

function wholeNumber(text: string): number | null {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n <= MAX_STOCK ? n : null;
}

/** Either the errors to show next to each field, or the body for the API. */
export function validateProduct(
  v: ProductValues,
  creating: boolean,
): { errors: ProductErrors; input?: ProductInput } {
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

  const stock = wholeNumber(v.stock || '0');
  if (creating && stock === null) errors.stock = 'Estoque deve ser um número inteiro, zero ou mais.';

  const minStock = wholeNumber(v.min_stock || '0');
  if (minStock === null) errors.min_stock = 'Estoque mínimo deve ser um número inteiro, zero ou mais.';

  if (Object.keys(errors).length > 0) return { errors };
  const input: ProductInput = {
    name,
    description: v.description.trim(),
    price: centsToApi(price!),
    category_id: Number(v.category_id),
    code: code || null,
    min_stock: minStock!,
  };
  if (creating) input.stock = stock!;
  return { errors, input };
}

/** Maps an API error message to the field it is about, so it shows in the right place. */
export function fieldOfApiError(message: string): keyof ProductValues | null {
  const m = message.toLowerCase();
  if (m.includes('código')) return 'code';
  if (m.includes('categoria')) return 'category_id';
  if (m.includes('preço')) return 'price';
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
