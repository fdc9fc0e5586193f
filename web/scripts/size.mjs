#!/usr/bin/env node
// Adds up the gzipped JavaScript each page loads (entry chunk + the page's lazy chunk + their
// static imports, from Vite's manifest) and fails when the login page or the PDV passes the
// budget. Run after `vite build` (npm run size builds first).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

// bytes of gzipped JS (100 kB, as Vite prints sizes); SIZE_BUDGET_BYTES only to see the check fail
const BUDGET = Number(process.env.SIZE_BUDGET_BYTES ?? 100_000);
const dist = new URL('../dist/', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));

const PAGES = [
  ['/login', null, true],
  ['/pdv', 'src/features/pdv/PdvPage.tsx', true],
  ['/ (painel)', 'src/features/dashboard/DashboardPage.tsx', false],
  ['/produtos', 'src/features/products/ProductsPage.tsx', false],
  ['/categorias', 'src/features/categories/CategoriesPage.tsx', false],
  ['/usuarios', 'src/features/users/UsersPage.tsx', false],
  ['/vendas', 'src/features/sales/SalesPage.tsx', false],
  ['/vendas/:id/recibo', 'src/features/sales/ReceiptPage.tsx', false],
  ['/caixa', 'src/features/cash/CashPage.tsx', false],
  ['/configuracoes', 'src/features/settings/SettingsPage.tsx', false],
  ['/estoque', 'src/features/stock/StockPage.tsx', false],
  ['/produtos/:id/movimentos', 'src/features/stock/MovementsPage.tsx', false],
  ['/transferencias', 'src/features/stock/TransfersPage.tsx', false],
  ['/clientes', 'src/features/customers/CustomersPage.tsx', false],
  ['/clientes/:id', 'src/features/customers/CustomerDetailPage.tsx', false],
  ['/auditoria', 'src/features/audit/AuditPage.tsx', false],
  ['/relatorios', 'src/features/reports/ReportsPage.tsx', false],
];

const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
const gz = new Map();
const gzSize = (file) => {
  if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(join(dist, file)), { level: 9 }).length);
  return gz.get(file);
};

function collect(key, files = new Set()) {
  const chunk = manifest[key];
  if (!chunk) throw new Error(`chunk ${key} não está no manifest`);
  if (files.has(chunk.file)) return files;
  files.add(chunk.file);
  for (const dep of chunk.imports ?? []) collect(dep, files);
  return files;
}

let failed = false;
const rows = [];
for (const [page, key, budgeted] of PAGES) {
  const files = collect(entryKey);
  if (key) collect(key, files);
  const total = [...files].reduce((sum, f) => sum + gzSize(f), 0);
  const over = budgeted && total > BUDGET;
  failed ||= over;
  rows.push({ page, 'JS gzip (kB)': (total / 1000).toFixed(1), arquivos: files.size, orçamento: budgeted ? (over ? 'EXCEDIDO' : 'ok (≤ 100 kB)') : '—' });
}
const css = Object.values(manifest).flatMap((c) => c.css ?? []);
console.table(rows);
console.log(`CSS (todas as páginas): ${[...new Set(css)].map((f) => `${f} ${(gzSize(f) / 1000).toFixed(1)} kB gzip`).join(', ')}`);
if (failed) {
  console.error(`\nOrçamento de JavaScript excedido: o login e o PDV devem carregar no máximo ${BUDGET / 1000} kB gzip.`);
  process.exit(1);
}
