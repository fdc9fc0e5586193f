// "Lojas e terminais" in /configuracoes: the shop's stores and each one's registered terminals,
// added, renamed, closed and reopened, and (with two or more) each store's own receipt data, PIX
// and printer. The entry point to a second store: with one, nothing else in the system speaks of
// stores. The server's refusal is shown next to the field (or the
// button) it is about.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import type { PlaceChanges } from '../../api/types';
import { Alert, Loading } from '../../components/ui';
import { storesQuery, terminalsQuery, useSaveStore, useSaveTerminal } from '../stores/api';
import { settingsQuery } from './api';
import { StoreDataForm } from './StoreDataForm';

const errorText = (e: unknown) => (e instanceof Error ? e.message : 'Não foi possível salvar.');

export function StoresSection() {
  const stores = useQuery(storesQuery);
  const terminals = useQuery(terminalsQuery);
  const shop = useQuery(settingsQuery).data;
  const several = (stores.data?.length ?? 0) > 1;
  const saveStore = useSaveStore();
  const saveTerminal = useSaveTerminal();
  return (
    <section class="card space-y-3" aria-labelledby="set-stores" data-testid="stores">
      <h2 id="set-stores" class="text-lg font-bold">
        Lojas e terminais
      </h2>
      <p class="text-sm text-slate-700">
        Com uma loja só, o sistema não fala de lojas em nenhum outro lugar. Com duas ou mais, o PDV pergunta em que loja vende, cada funcionário vende nas lojas marcadas para ele em Usuários, cada loja tem o seu estoque (e as transferências entre elas), e as vendas, os caixas, os relatórios e o painel mostram a loja. O catálogo é o mesmo; um preço pode ser próprio de uma loja (no produto), e o CNPJ, o endereço, o Pix e a impressora também (abaixo, em cada loja).
      </p>
      {stores.isPending && <Loading />}
      {stores.isError && <Alert>{stores.error.message}</Alert>}
      <ul class="space-y-3">
        {stores.data?.map((s) => (
          <li key={s.id} class="space-y-2 rounded-md border border-slate-200 p-3" data-testid={`store-${s.id}`}>
            <Place id={`store-${s.id}`} item={s} off="Desativada" onSave={(changes) => saveStore.mutateAsync({ id: s.id, changes })} />
            {several && <StoreDataForm store={s} shop={shop} />}
            <div class="space-y-2 border-l-2 border-slate-200 pl-3">
              <p class="text-sm font-medium text-slate-700">Terminais</p>
              {terminals.data
                ?.filter((t) => t.store_id === s.id)
                .map((t) => (
                  <Place key={t.id} id={`terminal-${t.id}`} item={t} off="Desativado" onSave={(changes) => saveTerminal.mutateAsync({ id: t.id, changes })} />
                ))}
              {s.active && (
                <NameForm
                  id={`new-terminal-${s.id}`}
                  label={`Novo terminal em ${s.name}`}
                  submit="Adicionar terminal"
                  onSubmit={(name) => saveTerminal.mutateAsync({ id: null, store_id: s.id, name })}
                />
              )}
            </div>
          </li>
        ))}
      </ul>
      {stores.data && <NameForm id="new-store" label="Nova loja" submit="Adicionar loja" onSubmit={(name) => saveStore.mutateAsync({ id: null, name })} />}
    </section>
  );
}

/** A store or a terminal: its name, renamed in place, and closed or reopened. */
function Place({
  id,
  item,
  off,
  onSave,
}: {
  id: string;
  item: { name: string; active: boolean };
  /** how a closed one is said ("Desativada" store, "Desativado" terminal) */
  off: string;
  onSave: (changes: PlaceChanges) => Promise<unknown>;
}) {
  const [renaming, setRenaming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      await onSave({ active: !item.active });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  if (renaming) {
    return (
      <NameForm
        id={`${id}-name`}
        label={`Novo nome de ${item.name}`}
        initial={item.name}
        submit="Salvar"
        onSubmit={async (name) => {
          await onSave({ name });
          setRenaming(false);
        }}
        onCancel={() => setRenaming(false)}
      />
    );
  }
  return (
    <div>
      <div class="flex flex-wrap items-center gap-2">
        <span class={`font-medium ${item.active ? '' : 'text-slate-500'}`}>{item.name}</span>
        {!item.active && <span class="badge bg-slate-200 text-slate-800">{off}</span>}
        <button type="button" class="btn btn-sm" aria-label={`Renomear ${item.name}`} onClick={() => setRenaming(true)}>
          Renomear
        </button>
        <button type="button" class="btn btn-sm" aria-label={`${item.active ? 'Desativar' : 'Reativar'} ${item.name}`} aria-describedby={error ? `${id}-error` : undefined} disabled={busy} onClick={toggle}>
          {item.active ? 'Desativar' : 'Reativar'}
        </button>
      </div>
      {error && (
        <p id={`${id}-error`} class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A name typed and sent (a new store or terminal, or a new name); the refusal under the field. */
function NameForm({
  id,
  label,
  initial = '',
  submit,
  onSubmit,
  onCancel,
}: {
  id: string;
  label: string;
  initial?: string;
  submit: string;
  onSubmit: (name: string) => Promise<unknown>;
  onCancel?: () => void;
}) {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function send(e: Event) {
    e.preventDefault();
    if (!name.trim()) return setError('Informe o nome.');
    setBusy(true);
    setError(null);
    try {
      await onSubmit(name.trim());
      setName(initial);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={send} noValidate>
      <label class="label" htmlFor={id}>
        {label}
      </label>
      <div class="flex flex-wrap gap-2">
        <input
          id={id}
          class="input max-w-xs"
          autoComplete="off"
          autoFocus={!!onCancel}
          value={name}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <button type="submit" class="btn btn-sm" disabled={busy}>
          {submit}
        </button>
        {onCancel && (
          <button type="button" class="btn btn-sm" onClick={onCancel}>
            Cancelar
          </button>
        )}
      </div>
      {error && (
        <p id={`${id}-error`} class="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
