import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setSession } from '../../app/session';
import { admin, json } from '../../test/fixtures';
import { ImportDialog, importNotice } from './ImportDialog';

let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  setSession({ token: 't', user: admin });
  fetchMock = vi.fn();
  vi.stubGlobal('fetch', fetchMock);
});

const CSV = 'nome;categoria;preco\nCafé;Mercearia;18,90\nChá;Mercearia;abc\n';

function show(onImported = vi.fn(), onClose = vi.fn()) {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <ImportDialog open onClose={onClose} onImported={onImported} />
    </QueryClientProvider>,
  );
  return { onImported, onClose };
}

async function choose(file: File) {
  const input = screen.getByLabelText('Arquivo CSV') as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  // A real `change` event: Testing Library's fireEvent.change becomes `input` once preact/compat
  // (TanStack Query's provider) has rendered.
  fireEvent(input, new Event('change', { bubbles: true }));
  await waitFor(() => expect(importButton()).toHaveProperty('disabled', false));
}

const importButton = () => screen.getByRole('button', { name: 'Importar' });

describe('the catalog import dialog', () => {
  it('explains the columns and waits for a file', () => {
    show();
    expect(screen.getByTestId('import-columns').textContent).toBe(
      'codigo;nome;categoria;unidade;preco;custo;custo_medio;estoque_minimo;estoque;codigos_de_barras;ativo;descricao',
    );
    expect(screen.getByText(/Tudo ou nada/)).toBeTruthy();
    expect(screen.getByLabelText('Arquivo CSV').getAttribute('accept')).toBe('.csv,text/csv');
    expect(importButton()).toHaveProperty('disabled', true);
  });

  it('sends the file as text/csv and reports what it did', async () => {
    fetchMock.mockResolvedValue(json(200, { created: 3, updated: 1, categories_created: 0 }));
    const { onImported } = show();
    // Where Excel is installed, the browser names a .csv file this way.
    await choose(new File([CSV], 'produtos.csv', { type: 'application/vnd.ms-excel' }));
    fireEvent.click(importButton());
    await waitFor(() => expect(onImported).toHaveBeenCalledWith({ created: 3, updated: 1, categories_created: 0 }));
    const [url, init] = fetchMock.mock.calls[0]! as [string, RequestInit & { headers: Record<string, string> }];
    expect(url).toBe('/api/products/import');
    expect(init.method).toBe('POST');
    expect(init.headers['Content-Type']).toBe('text/csv');
    expect(await (init.body as Blob).text()).toBe(CSV);
    expect(importNotice({ created: 3, updated: 1, categories_created: 0 })).toBe(
      'Importação concluída: 3 produtos criados, 1 atualizado, 0 categorias criadas.',
    );
    expect(importNotice({ created: 1, updated: 0, categories_created: 1 })).toBe(
      'Importação concluída: 1 produto criado, 0 atualizados, 1 categoria criada.',
    );
  });

  it('a refused file stays open with every problem by line and column', async () => {
    fetchMock.mockResolvedValue(
      json(400, {
        error: 'Linha 3, coluna preco: preço "abc" inválido: maior que zero, até duas casas decimais (como 12,50) (e mais 1 problema(s)). Nada foi importado',
        errors: [
          { line: 3, column: 'preco', message: 'preço "abc" inválido: maior que zero, até duas casas decimais (como 12,50)' },
          { line: 5, column: '', message: '14 campos, mas o cabeçalho tem 12' },
        ],
      }),
    );
    const { onImported, onClose } = show();
    await choose(new File([CSV], 'produtos.csv', { type: 'text/csv' }));
    fireEvent.click(importButton());
    const table = await screen.findByTestId('import-errors');
    const rows = [...table.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(rows).toEqual([
      ['Linha', 'Coluna', 'Problema'],
      ['3', 'preco', 'preço "abc" inválido: maior que zero, até duas casas decimais (como 12,50)'],
      ['5', '—', '14 campos, mas o cabeçalho tem 12'],
    ]);
    expect(screen.getByRole('alert').textContent).toMatch(/^Nada foi importado: o arquivo tem 2 problemas/);
    expect(onImported).not.toHaveBeenCalled();
    expect(onClose).not.toHaveBeenCalled();

    // Another file clears the list.
    await choose(new File(['x'], 'outro.csv', { type: 'text/csv' }));
    expect(screen.queryByTestId('import-errors')).toBeNull();
  });

  it('a refusal without lines, and a file too big, say nothing was imported', async () => {
    fetchMock.mockResolvedValueOnce(json(400, { error: 'O arquivo deve estar em UTF-8 (no Excel: salvar como CSV UTF-8)' }));
    fetchMock.mockResolvedValueOnce(json(413, { error: 'Corpo da requisição muito grande' }));
    show();
    await choose(new File(['\xff'], 'latin1.csv'));
    fireEvent.click(importButton());
    expect((await screen.findByRole('alert')).textContent).toBe('O arquivo deve estar em UTF-8 (no Excel: salvar como CSV UTF-8). Nada foi importado.');
    fireEvent.click(importButton());
    await screen.findByText('Arquivo muito grande: envie um CSV de até 20 MB. Nada foi importado.');
  });
});
