import { useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import type { Role, User } from '../../api/types';
import { useSession, useTitle } from '../../app/hooks';
import { updateUser as updateSessionUser } from '../../app/session';
import { Alert, ConfirmDialog, Dialog, Empty, Loading } from '../../components/ui';
import { formatDate } from '../../lib/dates';
import { ROLE_LABELS, ROLE_SCOPES, ROLES } from '../../lib/labels';
import { useTimezone } from '../info/api';
import { useStores } from '../stores/api';
import { useDeleteUser, usersQuery, useSaveUser } from './api';

export default function UsersPage() {
  useTitle('Usuários');
  const tz = useTimezone();
  const me = useSession()?.user;
  const users = useQuery(usersQuery);
  const stores = useStores();
  const remove = useDeleteUser();
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<User | null | undefined>(undefined);
  const [deleting, setDeleting] = useState<User | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function confirmDelete() {
    if (!deleting) return;
    setBusy(true);
    try {
      await remove.mutateAsync(deleting.id);
      setNotice(`Usuário “${deleting.username}” removido.`);
      setDeleting(null);
    } catch (err) {
      setDeleteError(err instanceof Error ? err.message : 'Não foi possível remover.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="space-y-3">
      <div class="flex flex-wrap items-center justify-between gap-2">
        <h1 class="page-title">Usuários</h1>
        <button type="button" class="btn btn-primary" onClick={() => setEditing(null)}>
          + Novo usuário
        </button>
      </div>
      {notice && <Alert kind="success">{notice}</Alert>}
      <div class="card">
        {users.isPending && <Loading />}
        {users.isError && <Alert>{users.error.message}</Alert>}
        {users.data?.length === 0 && <Empty>Nenhum usuário.</Empty>}
        {users.data && users.data.length > 0 && (
          <div class="overflow-x-auto">
            <table class="table" data-testid="users-table">
              <thead>
                <tr>
                  <th scope="col">Usuário</th>
                  <th scope="col">Papel</th>
                  {stores.several && <th scope="col">Lojas</th>}
                  <th scope="col">Situação</th>
                  <th scope="col">Criado em</th>
                  <th scope="col">
                    <span class="sr-only">Ações</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {users.data.map((u) => (
                  <tr key={u.id}>
                    <td>
                      {u.username}
                      {u.id === me?.id && <span class="ml-1 text-xs text-slate-600">(você)</span>}
                    </td>
                    <td>{ROLE_LABELS[u.role]}</td>
                    {stores.several && <td>{u.store_ids.map(stores.name).join(', ') || '—'}</td>}
                    <td>
                      {u.active ? (
                        <span class="badge bg-green-100 text-green-900">Ativo</span>
                      ) : (
                        <span class="badge bg-slate-200 text-slate-800">Desativado</span>
                      )}
                    </td>
                    <td>{formatDate(u.created_at, tz)}</td>
                    <td class="whitespace-nowrap text-right">
                      <div class="flex justify-end gap-1">
                        <button type="button" class="btn btn-sm" aria-label={`Editar ${u.username}`} onClick={() => setEditing(u)}>
                          Editar
                        </button>
                        <button
                          type="button"
                          class="btn btn-sm text-red-800"
                          aria-label={`Remover ${u.username}`}
                          onClick={() => {
                            setDeleteError(null);
                            setDeleting(u);
                          }}
                        >
                          Remover
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
      <UserDialog
        open={editing !== undefined}
        user={editing ?? null}
        onClose={() => setEditing(undefined)}
        onSaved={(u, created) => {
          setEditing(undefined);
          if (u.id === me?.id) updateSessionUser(u);
          setNotice(created ? `Usuário “${u.username}” criado.` : `Usuário “${u.username}” atualizado.`);
        }}
      />
      <ConfirmDialog
        open={deleting !== null}
        title="Remover usuário"
        message={
          <>
            Remover <strong>{deleting?.username}</strong>? Ele não poderá mais entrar; as vendas dele continuam no histórico.
          </>
        }
        confirmLabel="Remover"
        busy={busy}
        error={deleteError}
        onConfirm={confirmDelete}
        onClose={() => setDeleting(null)}
      />
    </div>
  );
}

function UserDialog({ open, user, onClose, onSaved }: { open: boolean; user: User | null; onClose: () => void; onSaved: (u: User, created: boolean) => void }) {
  const creating = user === null;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('funcionario');
  const [active, setActive] = useState(true);
  const [storeIds, setStoreIds] = useState<number[]>([]);
  const stores = useStores();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = useSaveUser();
  const [openedFor, setOpenedFor] = useState<User | null | undefined>(undefined);

  // Reset the form each time it opens.
  if (open && openedFor !== user) {
    setOpenedFor(user);
    setUsername(user?.username ?? '');
    setPassword('');
    setRole(user?.role ?? 'funcionario');
    setActive(user?.active ?? true);
    setStoreIds(user?.store_ids ?? []);
    setError(null);
  } else if (!open && openedFor !== undefined) {
    setOpenedFor(undefined);
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (!username.trim()) return setError('Informe o nome de usuário.');
    if (creating && !password) return setError('Informe a senha.');
    if (password && password.length < 6) return setError('A senha deve ter pelo menos 6 caracteres.');
    setBusy(true);
    setError(null);
    // With one store there is nothing to choose: the server keeps the user in it.
    const where = stores.several ? { store_ids: storeIds } : {};
    try {
      const saved = await save.mutateAsync(
        creating
          ? { id: null, body: { username: username.trim(), password, role, ...where } }
          : { id: user.id, body: { username: username.trim(), role, active, ...(password ? { password } : {}), ...where } },
      );
      onSaved(saved, creating);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Não foi possível salvar.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} title={creating ? 'Novo usuário' : `Editar ${user.username}`} onClose={onClose}>
      <form onSubmit={submit} noValidate class="space-y-3">
        {error && <Alert>{error}</Alert>}
        <div>
          <label class="label" htmlFor="user-username">
            Usuário *
          </label>
          <input id="user-username" class="input" autoComplete="off" value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </div>
        <div>
          <label class="label" htmlFor="user-password">
            {creating ? 'Senha *' : 'Nova senha (deixe vazio para manter)'}
          </label>
          <input id="user-password" type="password" class="input" autoComplete="new-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          <p class="mt-1 text-xs text-slate-600">Pelo menos 6 caracteres.</p>
        </div>
        <div>
          <label class="label" htmlFor="user-role">
            Papel
          </label>
          <select id="user-role" class="input" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]} ({ROLE_SCOPES[r]})
              </option>
            ))}
          </select>
        </div>
        {stores.several && (
          <fieldset>
            <legend class="label">Lojas</legend>
            <div class="flex flex-wrap gap-x-4 gap-y-1 text-sm">
              {stores.stores.map((s) => (
                <label key={s.id} class="flex items-center gap-1.5">
                  <input
                    type="checkbox"
                    checked={storeIds.includes(s.id)}
                    onChange={(e) => setStoreIds(e.currentTarget.checked ? [...storeIds, s.id] : storeIds.filter((id) => id !== s.id))}
                  />
                  {s.name}
                  {!s.active && <span class="text-xs text-slate-600">(desativada)</span>}
                </label>
              ))}
            </div>
            <p class="mt-1 text-xs text-slate-600">Onde a pessoa vende; um funcionário precisa de pelo menos uma.</p>
          </fieldset>
        )}
        {!creating && (
          <label class="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
            Ativo (pode entrar no sistema)
          </label>
        )}
        <div class="flex justify-end gap-2">
          <button type="button" class="btn" onClick={onClose}>
            Cancelar
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? 'Salvando…' : 'Salvar'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
