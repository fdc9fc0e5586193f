import { useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import type { Category } from '../../api/types';
import { useTitle } from '../../app/hooks';
import { Alert, ConfirmDialog, Empty, Loading } from '../../components/ui';
import { formatDate } from '../../lib/dates';
import { useTimezone } from '../info/api';
import { categoriesQuery, useCreateCategory, useDeleteCategory, useRenameCategory } from './api';

export default function CategoriesPage() {
  useTitle('Categorias');
  const tz = useTimezone();
  const categories = useQuery(categoriesQuery);
  const createCategory = useCreateCategory();
  const renameCategory = useRenameCategory();
  const deleteCategory = useDeleteCategory();
  const [name, setName] = useState('');
  const [createError, setCreateError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editingId, setEditingId] = useState<number | null>(null);
  const [editName, setEditName] = useState('');
  const [editError, setEditError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Category | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create(e: Event) {
    e.preventDefault();
    setNotice(null);
    if (!name.trim()) return setCreateError('Informe o nome da categoria.');
    setBusy(true);
    try {
      const c = await createCategory.mutateAsync(name.trim());
      setName('');
      setCreateError(null);
      setNotice(`Categoria “${c.name}” criada.`);
    } catch (err) {
      setCreateError(err instanceof Error ? err.message : 'Não foi possível criar.');
    } finally {
      setBusy(false);
    }
  }

  async function rename(e: Event, c: Category) {
    e.preventDefault();
    if (!editName.trim()) return setEditError('Informe o nome da categoria.');
    setBusy(true);
    try {
      const saved = await renameCategory.mutateAsync({ id: c.id, name: editName.trim() });
      setEditingId(null);
      setNotice(`Categoria renomeada para “${saved.name}”.`);
    } catch (err) {
      setEditError(err instanceof Error ? err.message : 'Não foi possível renomear.');
    } finally {
      setBusy(false);
    }
  }

  async function confirmDelete() {
    if (!deleting) return;
    setBusy(true);
    try {
      await deleteCategory.mutateAsync(deleting.id);
      setNotice(`Categoria “${deleting.name}” excluída.`);
      setDeleting(null);
    } catch (err) {
      setDeleteError(err instanceof Error ? err.message : 'Não foi possível excluir.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="space-y-3">
      <h1 class="page-title">Categorias</h1>
      {notice && <Alert kind="success">{notice}</Alert>}
      <form onSubmit={create} class="card flex flex-wrap items-end gap-2" noValidate>
        <div class="min-w-48 flex-1">
          <label class="label" htmlFor="category-name">
            Nova categoria
          </label>
          <input
            id="category-name"
            class="input"
            value={name}
            maxLength={100}
            autoComplete="off"
            aria-invalid={createError ? true : undefined}
            aria-describedby={createError ? 'category-name-error' : undefined}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="btn btn-primary" disabled={busy}>
          Adicionar
        </button>
        {createError && (
          <p id="category-name-error" role="alert" class="field-error w-full">
            {createError}
          </p>
        )}
      </form>
      <div class="card">
        {categories.isPending && <Loading />}
        {categories.isError && <Alert>{categories.error.message}</Alert>}
        {categories.data?.length === 0 && <Empty>Nenhuma categoria ainda. Crie a primeira acima.</Empty>}
        {categories.data && categories.data.length > 0 && (
          <div class="overflow-x-auto">
            <table class="table" data-testid="categories-table">
              <thead>
                <tr>
                  <th scope="col">Nome</th>
                  <th scope="col" class="text-right">Produtos</th>
                  <th scope="col">Criada em</th>
                  <th scope="col">
                    <span class="sr-only">Ações</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {categories.data.map((c) => (
                  <tr key={c.id}>
                    <td>
                      {editingId === c.id ? (
                        <form onSubmit={(e) => rename(e, c)} class="flex flex-wrap items-center gap-1" noValidate>
                          <label class="sr-only" htmlFor={`rename-${c.id}`}>
                            Novo nome de {c.name}
                          </label>
                          <input
                            id={`rename-${c.id}`}
                            class="input w-48"
                            value={editName}
                            autoFocus
                            onInput={(e) => setEditName(e.currentTarget.value)}
                            onKeyDown={(e) => e.key === 'Escape' && setEditingId(null)}
                          />
                          <button type="submit" class="btn btn-sm btn-primary" disabled={busy}>
                            Salvar
                          </button>
                          <button type="button" class="btn btn-sm" onClick={() => setEditingId(null)}>
                            Cancelar
                          </button>
                          {editError && (
                            <p role="alert" class="field-error w-full">
                              {editError}
                            </p>
                          )}
                        </form>
                      ) : (
                        c.name
                      )}
                    </td>
                    <td class="text-right tabular-nums">{c.products_count}</td>
                    <td>{formatDate(c.created_at, tz)}</td>
                    <td class="whitespace-nowrap text-right">
                      <div class="flex justify-end gap-1">
                        <button
                          type="button"
                          class="btn btn-sm"
                          aria-label={`Renomear ${c.name}`}
                          onClick={() => {
                            setEditingId(c.id);
                            setEditName(c.name);
                            setEditError(null);
                          }}
                        >
                          Renomear
                        </button>
                        <button
                          type="button"
                          class="btn btn-sm text-red-800"
                          aria-label={`Excluir ${c.name}`}
                          onClick={() => {
                            setDeleteError(null);
                            setDeleting(c);
                          }}
                        >
                          Excluir
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <ConfirmDialog
        open={deleting !== null}
        title="Excluir categoria"
        message={
          <>
            Excluir a categoria <strong>{deleting?.name}</strong>?
            {deleting && deleting.products_count > 0 && ` Ela tem ${deleting.products_count} produto(s): mova-os para outra categoria antes.`}
          </>
        }
        confirmLabel="Excluir"
        busy={busy}
        error={deleteError}
        onConfirm={confirmDelete}
        onClose={() => setDeleting(null)}
      />
    </div>
  );
}
