import { useState } from 'preact/hooks';
import { useTitle } from '../../app/hooks';
import { getSession, setSession } from '../../app/session';
import { Alert } from '../../components/ui';
import { changePassword, login } from './api';

export default function PasswordPage() {
  useTitle('Alterar senha');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setDone(null);
    if (!current || !next) return setError('Preencha a senha atual e a nova senha.');
    if (next.length < 6) return setError('A nova senha deve ter pelo menos 6 caracteres.');
    if (next !== confirm) return setError('A confirmação não confere com a nova senha.');
    setBusy(true);
    setError(null);
    try {
      const res = await changePassword(current, next);
      // The server ends every token issued before the change (ours included): sign in again
      // with the new password so the user carries on where they were.
      const username = getSession()?.user.username;
      if (username) {
        const fresh = await login(username, next);
        setSession({ token: fresh.access_token, user: fresh.user });
      }
      setDone(res.message);
      setCurrent('');
      setNext('');
      setConfirm('');
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Não foi possível alterar a senha.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="mx-auto max-w-md">
      <h1 class="page-title mb-4">Alterar senha</h1>
      <form onSubmit={submit} class="card space-y-4" noValidate>
        {error && <Alert>{error}</Alert>}
        {done && <Alert kind="success">{done}</Alert>}
        <div>
          <label class="label" htmlFor="current-password">Senha atual</label>
          <input id="current-password" type="password" class="input" autoComplete="current-password" value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
        </div>
        <div>
          <label class="label" htmlFor="new-password">Nova senha</label>
          <input id="new-password" type="password" class="input" autoComplete="new-password" aria-describedby="new-password-hint" value={next} onInput={(e) => setNext(e.currentTarget.value)} />
          <p id="new-password-hint" class="mt-1 text-xs text-slate-600">Pelo menos 6 caracteres.</p>
        </div>
        <div>
          <label class="label" htmlFor="confirm-password">Confirme a nova senha</label>
          <input id="confirm-password" type="password" class="input" autoComplete="new-password" value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} />
        </div>
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? 'Salvando…' : 'Alterar senha'}
        </button>
      </form>
    </section>
  );
}
