import { useEffect, useRef, useState } from 'preact/hooks';
import type { Customer } from '../../api/types';
import {
  type CustomerError,
  customerChanges,
  customerError,
  CustomerFields,
  customerForm,
  emptyCustomerForm,
  newCustomerBody,
} from '../../components/CustomerFields';
import { Alert, Dialog } from '../../components/ui';
import { useSaveCustomer } from './api';

/**
 * "Novo cliente" (`customer` null) and "Editar": the server checks the fields and its message
 * is shown next to the field it names; editing sends only what changed.
 */
export function CustomerDialog({
  open,
  customer,
  onClose,
  onSaved,
}: {
  open: boolean;
  customer: Customer | null;
  onClose: () => void;
  onSaved: (c: Customer, created: boolean) => void;
}) {
  return (
    <Dialog open={open} title={customer ? `Editar ${customer.name}` : 'Novo cliente'} onClose={onClose}>
      {/* Mounted while open only: the form starts again each time. */}
      <CustomerFormBody key={customer?.id ?? 'novo'} customer={customer} onClose={onClose} onSaved={onSaved} />
    </Dialog>
  );
}

function CustomerFormBody({ customer, onClose, onSaved }: { customer: Customer | null; onClose: () => void; onSaved: (c: Customer, created: boolean) => void }) {
  const [form, setForm] = useState(() => (customer ? customerForm(customer) : emptyCustomerForm()));
  const [error, setError] = useState<CustomerError | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const save = useSaveCustomer();
  const nameRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    setTimeout(() => nameRef.current?.focus(), 0);
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    if (save.isPending) return;
    const body = customer ? customerChanges(customer, form) : newCustomerBody(form);
    if (customer && Object.keys(body).length === 0) {
      setInfo('Nada mudou.');
      return;
    }
    setError(null);
    setInfo(null);
    try {
      const saved = await save.mutateAsync({ id: customer?.id ?? null, body });
      onSaved(saved, customer === null);
    } catch (err) {
      setError(customerError(err));
    }
  }

  return (
    <form onSubmit={submit} noValidate class="space-y-3" data-testid="customer-form">
      <CustomerFields idPrefix="customer" form={form} onChange={setForm} error={error} firstRef={nameRef} />
      {info && <Alert kind="info">{info}</Alert>}
      <div class="flex justify-end gap-2">
        <button type="button" class="btn" onClick={onClose}>
          Cancelar
        </button>
        <button type="submit" class="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? 'Salvando…' : 'Salvar'}
        </button>
      </div>
    </form>
  );
}
