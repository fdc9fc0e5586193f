import { render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { admin, info, json } from '../test/fixtures';

/** The app as a fresh page load at `path` (the session check runs once per load). */
async function load(path: string) {
  vi.resetModules();
  window.history.replaceState(null, '', path);
  const { App } = await import('./App');
  return render(<App />);
}

beforeEach(() => {
  localStorage.setItem('sv.token', 'tok');
  localStorage.setItem('sv.user', JSON.stringify(admin));
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    }),
  );
});

describe('the app without the server', () => {
  it('keeps the signed-in user when the session check gets no answer', async () => {
    await load('/pdv');
    await screen.findByLabelText(/Código de barras ou nome/);
    expect(screen.getByTestId('current-user').textContent).toContain('admin');
    expect(localStorage.getItem('sv.token')).toBe('tok');
  });

  it('an admin page says it needs the server and links to the PDV, instead of opening', async () => {
    await load('/produtos');
    const alert = await screen.findByTestId('needs-server');
    expect(alert.textContent).toContain('Esta página precisa do servidor');
    expect(screen.getByRole('link', { name: 'Ir para o PDV' }).getAttribute('href')).toBe('/pdv');
    expect(screen.queryByRole('heading', { name: 'Produtos' })).toBeNull();
  });

  it('opens the page once the server answers again ("Tentar de novo")', async () => {
    await load('/caixa');
    await screen.findByTestId('needs-server');
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => (url === '/api/info' ? json(200, info) : json(404, { error: 'Nenhum caixa aberto para este operador' }))),
    );
    screen.getByRole('button', { name: 'Tentar de novo' }).click();
    await waitFor(() => expect(screen.queryByTestId('needs-server')).toBeNull());
    await screen.findByRole('heading', { name: 'Caixa' });
  });
});
