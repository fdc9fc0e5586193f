import { useLayoutEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import type { ImportSummary, RowError } from '../../api/types';
import { Alert, Dialog } from '../../components/ui';
import { MAX_IMPORT_BYTES, useImportProducts } from './api';

/** The columns, in the order an export writes them (docs/api.md, "Catálogo em planilha"). */
export const CSV_COLUMNS = 'codigo;nome;categoria;unidade;preco;custo;custo_medio;estoque_minimo;estoque;codigos_de_barras;ativo;descricao';

const TOO_BIG = 'Arquivo muito grande: envie um CSV de até 20 MB.';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "Importação concluída: 3 produtos criados, 1 atualizado, 0 categorias criadas." */
export function importNotice(s: ImportSummary): string {
  return `Importação concluída: ${plural(s.created, 'produto criado', 'produtos criados')}, ${plural(s.updated, 'atualizado', 'atualizados')}, ${plural(s.categories_created, 'categoria criada', 'categorias criadas')}.`;
}

/** Why a file was not imported: the server's message and, for a file it read, every problem. */
interface Refusal {
  message: string;
  rows: RowError[];
}

function refusalOf(err: unknown): Refusal {
  if (!(err instanceof ApiError)) return { message: err instanceof Error ? err.message : 'Não foi possível importar.', rows: [] };
  if (err.status === 413) return { message: `${TOO_BIG} Nada foi importado.`, rows: [] };
  const rows = Array.isArray(err.body.errors) ? err.body.errors : [];
  // A refusal (4xx) leaves the catalog as it was; a lost connection cannot say.
  const nothing = err.status >= 400 && err.status < 500 && !/nada foi importado/i.test(err.message);
  return { message: nothing ? `${err.message.replace(/\.?$/, '.')} Nada foi importado.` : err.message, rows };
}

/**
 * "Importar CSV": a file whose lines create or update products, all or nothing. A refused file
 * keeps the dialog open with every problem by line and column.
 */
export function ImportDialog({ open, onClose, onImported }: { open: boolean; onClose: () => void; onImported: (s: ImportSummary) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const importer = useImportProducts();

  useLayoutEffect(() => {
    if (!open) return;
    setFile(null);
    setRefusal(null);
  }, [open]);

  function choose(e: { currentTarget: HTMLInputElement }) {
    setFile(e.currentTarget.files?.[0] ?? null);
    setRefusal(null);
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (!file) {
      setRefusal({ message: 'Escolha o arquivo CSV.', rows: [] });
      return;
    }
    if (file.size > MAX_IMPORT_BYTES) {
      setRefusal({ message: TOO_BIG, rows: [] });
      return;
    }
    setBusy(true);
    setRefusal(null);
    try {
      onImported(await importer.mutateAsync(file));
    } catch (err) {
      setRefusal(refusalOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} title="Importar produtos (CSV)" onClose={onClose} wide>
      <form onSubmit={submit} noValidate class="space-y-3 text-sm">
        <p>
          Uma linha por produto, depois de um cabeçalho com os nomes das colunas, separadas por <code>;</code> (como o Excel salva):
        </p>
        <pre class="whitespace-pre-wrap break-all rounded bg-slate-100 px-2 py-1.5 text-xs" data-testid="import-columns">
          {CSV_COLUMNS}
        </pre>
        <ul class="list-disc space-y-1 pl-5">
          <li>
            Obrigatórias: <strong>nome</strong>, <strong>categoria</strong> e <strong>preco</strong> (como 12,50). As outras podem faltar ou ficar
            vazias.
          </li>
          <li>
            Um produto com um <strong>codigo</strong> que já existe é atualizado (o estoque dele não muda: use entradas e contagens); as outras linhas
            criam produtos, com o estoque da coluna <strong>estoque</strong>. Categorias novas são criadas pelo nome.
          </li>
          <li>
            <strong>codigos_de_barras</strong> separados por espaço; <strong>ativo</strong>: sim ou não; <strong>custo_medio</strong> é só
            informativa.
          </li>
          <li>
            <strong>Tudo ou nada:</strong> se alguma linha tiver problema, nada é importado e os problemas aparecem aqui.
          </li>
        </ul>
        <p class="text-slate-700">
          Modelo: o botão <strong>Exportar CSV</strong> da página baixa o catálogo neste formato. Edite no Excel e salve como “CSV UTF-8”.
        </p>
        <div>
          <label class="label" htmlFor="import-file">
            Arquivo CSV
          </label>
          <input id="import-file" type="file" accept=".csv,text/csv" class="block w-full text-sm" onChange={choose} />
        </div>
        {refusal && refusal.rows.length === 0 && <Alert>{refusal.message}</Alert>}
        {refusal && refusal.rows.length > 0 && (
          <div class="space-y-2">
            <Alert>
              Nada foi importado: {refusal.rows.length === 1 ? 'o arquivo tem 1 problema' : `o arquivo tem ${refusal.rows.length} problemas`}. Corrija e
              envie de novo.
            </Alert>
            <div class="max-h-64 overflow-y-auto rounded border border-slate-200">
              <table class="table" data-testid="import-errors">
                <thead>
                  <tr>
                    <th scope="col" class="text-right">
                      Linha
                    </th>
                    <th scope="col">Coluna</th>
                    <th scope="col">Problema</th>
                  </tr>
                </thead>
                <tbody>
                  {refusal.rows.map((r, i) => (
                    <tr key={i}>
                      <td class="text-right tabular-nums">{r.line}</td>
                      <td class="font-mono text-xs">{r.column || '—'}</td>
                      <td>{r.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
        <div class="flex justify-end gap-2">
          <button type="button" class="btn" onClick={onClose}>
            Cancelar
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy || !file}>
            {busy ? 'Importando…' : 'Importar'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
