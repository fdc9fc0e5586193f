import { useEffect, useRef, useState } from 'preact/hooks';
import { Redirect, useLocation, useSearch } from 'wouter';
import { ApiError } from '../../api/client';
import { useSession, useTitle } from '../../app/hooks';
import { setSession } from '../../app/session';
import { Alert } from '../../components/ui';
import { login } from './api';

/** Only same-site paths are followed after login (no open redirect). */
export function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : null;
}

export function LoginPage() {
  useTitle('Entrar');
  const session = useSession();
  const [, setLocation] = useLocation();
  const params = new URLSearchParams(useSearch());
  const next = safeNext(params.get('next'));
  const expired = params.get('expirou') === '1';
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const userRef = useRef<HTMLInputElement>(null);
  useEffect(() => userRef.current?.focus(), []);

  if (session && !busy) return <Redirect to={next ?? (session.user.role === 'admin' ? '/' : '/pdv')} replace />;

  async function submit(e: Event) {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError('Informe o usuário e a senha.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await login(username.trim(), password);
      setSession({ token: res.access_token, user: res.user });
      setLocation(next ?? (res.user.role === 'admin' ? '/' : '/pdv'), { replace: true });
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? 'Usuário ou senha incorretos.'
          : err instanceof Error
            ? err.message
            : 'Não foi possível entrar.',
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="flex min-h-screen items-center justify-center p-4">
      <form onSubmit={submit} class="card w-full max-w-sm space-y-4" noValidate aria-labelledby="login-title">
        <h1 id="login-title" class="text-2xl font-bold">
          Sistema de Vendas
        </h1>
        <p class="text-sm text-slate-700">Entre com seu usuário e senha.</p>
        {expired && !error && <Alert kind="info">Sua sessão expirou. Entre novamente; o carrinho do PDV foi mantido.</Alert>}
        {error && <Alert>{error}</Alert>}
        <div>
          <label class="label" htmlFor="username">
            Usuário
          </label>
          <input
            id="username"
            name="username"
            class="input"
            autoComplete="username"
            ref={userRef}
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </div>
        <div>
          <label class="label" htmlFor="password">
            Senha
          </label>
          <input
            id="password"
            name="password"
            type="password"
            class="input"
            autoComplete="current-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="btn btn-primary w-full" disabled={busy}>
          {busy ? 'Entrando…' : 'Entrar'}
        </button>
      </form>
    </main>
  );
}
