import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { Link, useSearch } from 'wouter';
import type { Product } from '../../api/types';
import { useDebounced, useTitle } from '../../app/hooks';
import { ProductThumb } from '../../components/ProductThumb';
import { Alert, ConfirmDialog, Empty, Loading, Pagination } from '../../components/ui';
import { formatBRL } from '../../lib/money';
import { formatQuantity } from '../../lib/quantity';
import { categoriesQuery } from '../categories/api';
import { exportProducts, productQueries, useDeleteProduct } from './api';
import { ImportDialog, importNotice } from './ImportDialog';
import { ProductFormDialog } from './ProductFormDialog';
import { StockDialog } from './StockDialog';

const PER_PAGE = 20;

export default function ProductsPage() {
  useTitle('Produtos');
  const params = new URLSearchParams(useSearch());
  const initialLow = params.get('estoque_baixo') === '1';
  const [status, setStatus] = useState<'ativos' | 'inativos' | 'todos'>(() => {
    const s = params.get('situacao');
    return s === 'inativos' || s === 'todos' ? s : 'ativos';
  });
  const [search, setSearch] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [lowOnly, setLowOnly] = useState(initialLow);
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Product | null | undefined>(undefined);
  const [stockOf, setStockOf] = useState<Product | null>(null);
  const [deleting, setDeleting] = useState<Product | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const term = useDebounced(search.trim(), 250);

  const categories = useQuery(categoriesQuery);
  const remove = useDeleteProduct();
  const shown = { search: term, category_id: categoryId ? Number(categoryId) : '' as const, low_stock: lowOnly, active: status === 'todos' ? undefined : status === 'ativos' };
  const filters = { page, per_page: PER_PAGE, ...shown };
  const products = useQuery({ ...productQueries.list(filters), placeholderData: keepPreviousData });

  /** The products the filters show, every page of them (with "Só estoque baixo": what to restock). */
  async function doExport() {
    setExporting(true);
    setExportError(null);
    setNotice(null);
    try {
      // The server names the file (Content-Disposition); the fallback is for a proxy that drops it.
      const name = await exportProducts(shown, lowOnly ? 'estoque-baixo.csv' : 'produtos.csv');
      setNotice(`Arquivo ${name} baixado.`);
    } catch (err) {
      setExportError(err instanceof Error ? err.message : 'Não foi possível exportar.');
    } finally {
      setExporting(false);
    }
  }

  async function confirmDelete() {
    if (!deleting) return;
    setBusy(true);
    setDeleteError(null);
    try {
      const res = await remove.mutateAsync(deleting.id);
      setNotice(`${deleting.name}: ${res.message}`);
      setDeleting(null);
    } catch (err) {
      setDeleteError(err instanceof Error ? err.message : 'Não foi possível excluir.');
    } finally {
      setBusy(false);
    }
  }

  const data = products.data;
  return (
    <div class="space-y-3">
      <div class="flex flex-wrap items-center justify-between gap-2">
        <h1 class="page-title">Produtos</h1>
        <div class="flex flex-wrap gap-2">
          <button
            type="button"
            class="btn"
            onClick={doExport}
            disabled={exporting}
            title={
              lowOnly
                ? 'Baixa a lista de reposição: os produtos com estoque baixo (nos filtros da página), em CSV para o Excel'
                : 'Baixa os produtos dos filtros da página em CSV para o Excel; o arquivo serve de modelo para a importação'
            }
          >
            {exporting ? 'Exportando…' : 'Exportar CSV'}
          </button>
          <button type="button" class="btn" onClick={() => setImporting(true)}>
            Importar CSV
          </button>
          <button type="button" class="btn btn-primary" onClick={() => setEditing(null)}>
            + Novo produto
          </button>
        </div>
      </div>
      {notice && <Alert kind="success">{notice}</Alert>}
      {exportError && <Alert>{exportError}</Alert>}
      <div class="card grid gap-3 sm:grid-cols-[2fr_1fr_1fr_auto] sm:items-end">
        <div>
          <label class="label" htmlFor="products-search">
            Buscar por nome, código ou código de barras
          </label>
          <input
            id="products-search"
            type="search"
            class="input"
            value={search}
            onInput={(e) => {
              setSearch(e.currentTarget.value);
              setPage(1);
            }}
          />
        </div>
        <div>
          <label class="label" htmlFor="products-category">
            Categoria
          </label>
          <select
            id="products-category"
            class="input"
            value={categoryId}
            onChange={(e) => {
              setCategoryId(e.currentTarget.value);
              setPage(1);
            }}
          >
            <option value="">Todas</option>
            {categories.data?.map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label class="label" htmlFor="products-status">
            Situação
          </label>
          <select
            id="products-status"
            class="input"
            value={status}
            onChange={(e) => {
              setStatus(e.currentTarget.value as typeof status);
              setPage(1);
            }}
          >
            <option value="ativos">Ativos</option>
            <option value="inativos">Inativos</option>
            <option value="todos">Todos</option>
          </select>
        </div>
        <label class="flex items-center gap-2 pb-1.5 text-sm">
          <input
            type="checkbox"
            checked={lowOnly}
            onChange={(e) => {
              setLowOnly(e.currentTarget.checked);
              setPage(1);
            }}
          />
          Só estoque baixo
        </label>
      </div>

      <div class="card">
        {products.isPending && <Loading />}
        {products.isError && <Alert>{products.error.message}</Alert>}
        {data && data.products.length === 0 && (
          <Empty>{term || categoryId || lowOnly ? 'Nenhum produto com esses filtros.' : 'Nenhum produto cadastrado ainda.'}</Empty>
        )}
        {data && data.products.length > 0 && (
          <div class="overflow-x-auto">
            <table class="table" data-testid="products-table" aria-busy={products.isFetching}>
              <thead>
                <tr>
                  <th scope="col">
                    <span class="sr-only">Foto</span>
                  </th>
                  <th scope="col">Código</th>
                  <th scope="col">Código de barras</th>
                  <th scope="col">Nome</th>
                  <th scope="col">Categoria</th>
                  <th scope="col" class="text-right">Preço</th>
                  <th scope="col" class="text-right">Estoque</th>
                  <th scope="col">
                    <span class="sr-only">Ações</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.products.map((p) => (
                  <tr key={p.id}>
                    <td class="w-12">
                      <ProductThumb url={p.thumbnail_url} />
                    </td>
                    <td class="font-mono text-xs">{p.code ?? '—'}</td>
                    <td class="font-mono text-xs">
                      {p.barcode ?? '—'}
                      {p.barcodes.length > 1 && <span class="ml-1 text-slate-600" title={p.barcodes.join(', ')}>+{p.barcodes.length - 1}</span>}
                    </td>
                    <td>
                      {p.name}
                      {!p.active && <span class="badge ml-1.5 bg-slate-200 text-slate-800">Inativo</span>}
                    </td>
                    <td>{p.category_name}</td>
                    <td class="text-right tabular-nums">{formatBRL(p.price)}</td>
                    <td class="whitespace-nowrap text-right tabular-nums">
                      {p.low_stock && <span class="badge mr-1.5 bg-amber-100 text-amber-900">Estoque baixo</span>}
                      {formatQuantity(p.stock, p.unit)}
                    </td>
                    <td class="whitespace-nowrap text-right">
                      <div class="flex justify-end gap-1">
                        <button type="button" class="btn btn-sm" onClick={() => setEditing(p)} aria-label={`Editar ${p.name}`}>
                          Editar
                        </button>
                        <button type="button" class="btn btn-sm" onClick={() => setStockOf(p)} aria-label={`Estoque de ${p.name}`}>
                          Estoque
                        </button>
                        <Link href={`/produtos/${p.id}/movimentos`} class="btn btn-sm" aria-label={`Histórico de ${p.name}`}>
                          Histórico
                        </Link>
                        <button
                          type="button"
                          class="btn btn-sm text-red-800"
                          onClick={() => {
                            setDeleteError(null);
                            setDeleting(p);
                          }}
                          aria-label={`Excluir ${p.name}`}
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
        {data && <Pagination page={data.current_page} pages={data.pages} total={data.total} onPage={setPage} />}
      </div>

      <ProductFormDialog
        open={editing !== undefined}
        product={editing ?? null}
        categories={categories.data ?? []}
        onClose={() => setEditing(undefined)}
        onSaved={(p, created) => {
          setEditing(undefined);
          setNotice(created ? `Produto “${p.name}” cadastrado.` : `Produto “${p.name}” atualizado.`);
        }}
      />
      <ImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        onImported={(s) => {
          setImporting(false);
          setExportError(null);
          setNotice(importNotice(s));
        }}
      />
      <StockDialog
        product={stockOf}
        onClose={() => setStockOf(null)}
        onSaved={(p) => {
          setStockOf(null);
          setNotice(`Estoque de “${p.name}” agora é ${formatQuantity(p.stock, p.unit)}.`);
        }}
      />
      <ConfirmDialog
        open={deleting !== null}
        title="Excluir produto"
        message={
          <>
            Excluir <strong>{deleting?.name}</strong>? Ele some das listas e do PDV; as vendas já feitas continuam intactas.
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
