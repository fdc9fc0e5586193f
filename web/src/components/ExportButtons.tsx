// "Exportar CSV" and "Exportar XLSX" (the sales history, the reports): one download at a time, the
// one in flight says "Exportando…", and the outcome goes to the page's notice ("Arquivo … baixado."
// or the server's message).
import { useState } from 'preact/hooks';

export type ExportFormat = 'csv' | 'xlsx';

export interface ExportNotice {
  kind: 'error' | 'success';
  text: string;
}

export function ExportButtons({
  disabled,
  onExport,
  onNotice,
}: {
  disabled: boolean;
  /** downloads the file and resolves to its name */
  onExport: (format: ExportFormat) => Promise<string>;
  /** null when an export starts (the previous notice is cleared) */
  onNotice: (notice: ExportNotice | null) => void;
}) {
  const [exporting, setExporting] = useState<ExportFormat | null>(null);

  async function run(format: ExportFormat) {
    setExporting(format);
    onNotice(null);
    try {
      const name = await onExport(format);
      onNotice({ kind: 'success', text: `Arquivo ${name} baixado.` });
    } catch (err) {
      onNotice({ kind: 'error', text: err instanceof Error ? err.message : 'Não foi possível exportar.' });
    } finally {
      setExporting(null);
    }
  }

  return (
    <div class="flex flex-wrap gap-2">
      {(['csv', 'xlsx'] as const).map((f) => (
        <button key={f} type="button" class="btn" onClick={() => void run(f)} disabled={exporting !== null || disabled}>
          {exporting === f ? 'Exportando…' : `Exportar ${f.toUpperCase()}`}
        </button>
      ))}
    </div>
  );
}
