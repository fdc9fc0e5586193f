// The fields of a customer (name, CPF/CNPJ, phone, e-mail), shared by the Clientes page's dialog
// and the PDV's inline form. Nothing is validated here: the server checks every field (CPF and
// CNPJ check digits, the alphanumeric CNPJ, phones, e-mails) and its Portuguese message is shown
// next to the field it is about.
import type { Ref } from 'preact';
import type { Customer, CustomerInput } from '../api/types';
import { Alert } from './ui';

export interface CustomerForm {
  name: string;
  document: string;
  phone: string;
  email: string;
}

export type CustomerField = keyof CustomerForm;

/** A refusal of the server, and the field it is about (null: the whole form). */
export interface CustomerError {
  field: CustomerField | null;
  message: string;
}

export const emptyCustomerForm = (init: Partial<CustomerForm> = {}): CustomerForm => ({ name: '', document: '', phone: '', email: '', ...init });

export const customerForm = (c: Customer): CustomerForm => ({
  name: c.name,
  document: c.document ?? '',
  phone: c.phone ?? '',
  email: c.email ?? '',
});

/** POST /api/customers: the fields filled in, trimmed (empty ones are left out). */
export function newCustomerBody(f: CustomerForm): CustomerInput {
  const body: CustomerInput = { name: f.name.trim() };
  for (const k of ['document', 'phone', 'email'] as const) {
    const v = f[k].trim();
    if (v) body[k] = v;
  }
  return body;
}

/** PUT /api/customers/{id}: only what differs from the customer; an emptied field is cleared (null). */
export function customerChanges(c: Customer, f: CustomerForm): CustomerInput {
  const before = customerForm(c);
  const body: CustomerInput = {};
  if (f.name.trim() !== before.name) body.name = f.name.trim();
  for (const k of ['document', 'phone', 'email'] as const) {
    const v = f[k].trim();
    if (v !== before[k]) body[k] = v || null;
  }
  return body;
}

/** Words of the server's messages that say which field they are about. */
const FIELD_WORDS: [CustomerField, RegExp][] = [
  ['document', /\bCPF\b|\bCNPJ\b|\bdocument\b/i],
  ['phone', /telefone|\bphone\b/i],
  ['email', /e-?mail/i],
  ['name', /nome do cliente|\bname\b/i],
];

/** Which field a refusal is about ("CPF inválido: …" → document), or null for the whole form. */
export function customerFieldOf(message: string): CustomerField | null {
  return FIELD_WORDS.find(([, re]) => re.test(message))?.[0] ?? null;
}

export function customerError(e: unknown): CustomerError {
  const message = e instanceof Error ? e.message : 'Não foi possível salvar o cliente.';
  return { field: customerFieldOf(message), message };
}

const LABELS: Record<CustomerField, string> = { name: 'Nome *', document: 'CPF ou CNPJ', phone: 'Telefone', email: 'E-mail' };
const HINTS: Partial<Record<CustomerField, string>> = {
  document: 'Com ou sem pontuação; o CNPJ pode ter letras.',
  phone: 'Com DDD, ex.: (11) 98765-4321.',
};
/** The keyboard a phone shows; the inputs stay plain text (no browser validation to disagree with the server's). */
const MODES: Partial<Record<CustomerField, 'tel' | 'email'>> = { phone: 'tel', email: 'email' };

export function CustomerFields({
  idPrefix,
  form,
  onChange,
  error,
  fields = ['name', 'document', 'phone', 'email'],
  firstRef,
}: {
  idPrefix: string;
  form: CustomerForm;
  onChange: (f: CustomerForm) => void;
  error: CustomerError | null;
  fields?: readonly CustomerField[];
  /** the name field, to put the focus in it */
  firstRef?: Ref<HTMLInputElement>;
}) {
  // A refusal about a field that is not on this form is said above it.
  const formError = error && (error.field === null || !fields.includes(error.field)) ? error.message : null;
  return (
    <div class="space-y-3">
      {formError && <Alert>{formError}</Alert>}
      {fields.map((f) => {
        const id = `${idPrefix}-${f}`;
        const message = error?.field === f ? error.message : null;
        return (
          <div key={f}>
            <label class="label" htmlFor={id}>
              {LABELS[f]}
            </label>
            <input
              ref={f === 'name' ? firstRef : undefined}
              id={id}
              type="text"
              class="input"
              autoComplete="off"
              spellcheck={false}
              inputMode={MODES[f]}
              value={form[f]}
              aria-invalid={message ? true : undefined}
              aria-describedby={message ? `${id}-error` : HINTS[f] ? `${id}-hint` : undefined}
              onInput={(e) => onChange({ ...form, [f]: e.currentTarget.value })}
            />
            {message ? (
              <p id={`${id}-error`} class="field-error" role="alert">
                {message}
              </p>
            ) : (
              HINTS[f] && (
                <p id={`${id}-hint`} class="mt-1 text-xs text-slate-600">
                  {HINTS[f]}
                </p>
              )
            )}
          </div>
        );
      })}
    </div>
  );
}
