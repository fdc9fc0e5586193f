// Naming the customer of the sale without leaving it (F3): type a name or a CPF/CNPJ, the
// server's search answers (debounced), ↑/↓ and Enter choose. A customer not found is created
// right here (name, CPF/CNPJ, phone) and chosen; the server checks the fields and its message is
// shown next to the one it is about. The cart is not touched until a customer is chosen.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Customer, SaleCustomer } from '../../api/types';
import { type CustomerError, customerError, CustomerFields, type CustomerForm, emptyCustomerForm, newCustomerBody } from '../../components/CustomerFields';
import { Alert, Dialog } from '../../components/ui';
import { customerQueries, useSaveCustomer } from '../customers/api';

export const CUSTOMER_SEARCH_DEBOUNCE_MS = 200;
const LIST_ID = 'pdv-customer-results';

/**
 * The customers found for what is typed, and the ↑/↓ highlight. `current` says the list is the
 * answer for the text as it is now (not an older one still shown while typing), which is when
 * Enter may choose from it; `flush` searches at once without waiting for the pause.
 */
export function useCustomerSearch(text: string) {
  const typed = text.trim();
  const [term, setTerm] = useState(typed);
  useEffect(() => {
    if (typed === term) return;
    const t = setTimeout(() => setTerm(typed), CUSTOMER_SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [typed, term]);
  const results = useQuery(customerQueries.search(term));
  const found: readonly Customer[] = term && results.data ? results.data.customers : [];
  const current = term === typed && term !== '' && results.isSuccess;
  const [active, setActive] = useState(0);
  useEffect(() => setActive(0), [term]);

  /** ↑ (-1) or ↓ (+1); false when there is no list to move in. */
  function move(step: 1 | -1): boolean {
    if (found.length === 0) return false;
    setActive((a) => (step > 0 ? Math.min(a + 1, found.length - 1) : Math.max(a - 1, 0)));
    return true;
  }

  return { typed, term, found, current, active, fetching: results.isFetching, error: results.error, move, flush: () => setTerm(typed) };
}

/** A CPF/CNPJ typed in the search goes to the new customer's document, anything else to the name. */
export function prefill(text: string): Partial<CustomerForm> {
  const t = text.trim();
  if (!t) return {};
  return /\d/.test(t) && !/\s/.test(t) ? { document: t } : { name: t };
}

export const saleCustomer = (c: Customer): SaleCustomer => ({ id: c.id, name: c.name, document: c.document });

export function CustomerPicker(props: {
  open: boolean;
  /** the customer already named, if any */
  current: SaleCustomer | null;
  onPick: (c: SaleCustomer) => void;
  onRemove: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog open={props.open} title="Cliente da venda" onClose={props.onClose} wide>
      <PickerBody {...props} />
    </Dialog>
  );
}

function PickerBody({ current, onPick, onRemove }: { current: SaleCustomer | null; onPick: (c: SaleCustomer) => void; onRemove: () => void }) {
  const [text, setText] = useState('');
  const [creating, setCreating] = useState<CustomerForm | null>(null);
  const search = useCustomerSearch(text);
  const searchRef = useRef<HTMLInputElement>(null);

  const searching = creating === null;
  useEffect(() => {
    if (searching) setTimeout(() => searchRef.current?.focus(), 0);
  }, [searching]);

  function startCreating() {
    setCreating(emptyCustomerForm(prefill(text)));
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (search.move(e.key === 'ArrowDown' ? 1 : -1)) e.preventDefault();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (e.repeat) return;
      const highlighted = search.current ? search.found[search.active] : undefined;
      if (highlighted) onPick(saleCustomer(highlighted));
      else if (search.typed !== search.term) search.flush();
      else if (search.current && search.found.length === 0) startCreating();
    }
  }

  if (creating) {
    return <NewCustomer form={creating} onForm={setCreating} onBack={() => setCreating(null)} onCreated={(c) => onPick(saleCustomer(c))} />;
  }

  const { found, active } = search;
  return (
    <div class="space-y-3" data-testid="customer-picker">
      {current && (
        <div class="flex flex-wrap items-center justify-between gap-2 rounded-md bg-blue-50 px-3 py-2 text-sm">
          <span>
            Cliente atual: <strong>{current.name}</strong>
            {current.document && <span class="text-xs"> · {current.document}</span>}
          </span>
          <button type="button" class="btn btn-sm" onClick={onRemove}>
            Remover da venda
          </button>
        </div>
      )}
      <div>
        <label class="label" htmlFor="pdv-customer-search">
          Nome ou CPF/CNPJ do cliente
        </label>
        <input
          ref={searchRef}
          id="pdv-customer-search"
          class="input py-2 text-base"
          autoComplete="off"
          spellcheck={false}
          role="combobox"
          aria-expanded={found.length > 0}
          aria-controls={LIST_ID}
          aria-activedescendant={found[active] ? `pdv-customer-${found[active].id}` : undefined}
          aria-describedby="pdv-customer-keys"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        <p id="pdv-customer-keys" class="mt-1 text-xs text-slate-700">
          <kbd class="kbd">↑</kbd>
          <kbd class="kbd">↓</kbd> escolhe · <kbd class="kbd">Enter</kbd> usa na venda (sem resultado: cadastra) · <kbd class="kbd">Esc</kbd> volta
        </p>
      </div>
      <div aria-live="polite">
        {search.term && search.fetching && found.length === 0 && <p class="text-sm text-slate-700">Buscando…</p>}
        {search.current && found.length === 0 && !search.fetching && <p class="text-sm text-slate-700">Nenhum cliente encontrado para “{search.term}”.</p>}
        {search.error && <Alert>{search.error.message}</Alert>}
      </div>
      <div id={LIST_ID} role="listbox" aria-label="Clientes encontrados" class="divide-y divide-slate-200">
        {found.map((c, i) => (
          // The click is for a mouse or a touch screen; the keyboard stays in the search box.
          // oxlint-disable-next-line jsx-a11y/click-events-have-key-events
          <div
            key={c.id}
            id={`pdv-customer-${c.id}`}
            role="option"
            tabIndex={-1}
            aria-selected={i === active}
            class={`flex cursor-pointer flex-wrap items-center justify-between gap-2 px-2 py-2 text-sm ${i === active ? 'bg-blue-100' : 'hover:bg-slate-50'}`}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onPick(saleCustomer(c))}
          >
            <span class="font-medium">{c.name}</span>
            <span class="text-xs text-slate-700">
              {[c.document_type && c.document ? `${c.document_type} ${c.document}` : null, c.phone].filter(Boolean).join(' · ')}
            </span>
          </div>
        ))}
      </div>
      <div class="flex justify-end">
        <button type="button" class="btn" onClick={startCreating}>
          + Novo cliente
        </button>
      </div>
    </div>
  );
}

function NewCustomer({ form, onForm, onBack, onCreated }: { form: CustomerForm; onForm: (f: CustomerForm) => void; onBack: () => void; onCreated: (c: Customer) => void }) {
  const [error, setError] = useState<CustomerError | null>(null);
  const save = useSaveCustomer();
  const formRef = useRef<HTMLFormElement>(null);
  // The first field still empty when the form opens: the name, or the document after a name typed in the search.
  const [first] = useState(() => (form.name ? 'document' : 'name'));

  useEffect(() => {
    setTimeout(() => formRef.current?.querySelector<HTMLInputElement>(`#pdv-customer-${first}`)?.focus(), 0);
  }, [first]);

  async function submit(e: Event) {
    e.preventDefault();
    if (save.isPending) return;
    setError(null);
    try {
      onCreated(await save.mutateAsync({ id: null, body: newCustomerBody(form) }));
    } catch (err) {
      const refused = customerError(err);
      setError(refused);
      // The focus goes to the field the server refused.
      if (refused.field) setTimeout(() => formRef.current?.querySelector<HTMLInputElement>(`#pdv-customer-${refused.field}`)?.select(), 0);
    }
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Escape') {
      // Esc goes back to the search; a second Esc closes.
      e.preventDefault();
      e.stopPropagation();
      onBack();
    } else if (e.key === 'Enter' && e.repeat) {
      e.preventDefault();
    }
  }

  return (
    // Shortcut keys for the whole form (Esc goes back); every control stays reachable by Tab.
    // oxlint-disable-next-line jsx-a11y/no-noninteractive-element-interactions
    <form ref={formRef} onSubmit={submit} onKeyDown={onKeyDown} noValidate class="space-y-3" data-testid="pdv-new-customer">
      <p class="text-sm font-semibold">Novo cliente</p>
      <CustomerFields idPrefix="pdv-customer" form={form} onChange={onForm} error={error} fields={['name', 'document', 'phone']} />
      <p class="text-xs text-slate-700">
        <kbd class="kbd">Enter</kbd> cadastra e usa na venda · <kbd class="kbd">Esc</kbd> volta à busca
      </p>
      <div class="flex justify-end gap-2">
        <button type="button" class="btn" onClick={onBack} disabled={save.isPending}>
          Voltar à busca
        </button>
        <button type="submit" class="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? 'Cadastrando…' : 'Cadastrar e usar na venda'}
        </button>
      </div>
    </form>
  );
}
