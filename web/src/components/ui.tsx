// Small shared pieces: alerts, loading and empty states, pagination, a modal dialog.
import type { ComponentChildren } from 'preact';
import { useId, useLayoutEffect, useRef } from 'preact/hooks';

export function Alert({ kind = 'error', children }: { kind?: 'error' | 'success' | 'info'; children: ComponentChildren }) {
  const style = {
    error: 'border-red-300 bg-red-50 text-red-900',
    success: 'border-green-300 bg-green-50 text-green-900',
    info: 'border-blue-300 bg-blue-50 text-blue-900',
  }[kind];
  return (
    <div role={kind === 'error' ? 'alert' : 'status'} class={`rounded-md border px-3 py-2 text-sm ${style}`}>
      {children}
    </div>
  );
}

export function Loading({ label = 'Carregando…' }: { label?: string }) {
  return (
    <p role="status" class="flex items-center gap-2 py-6 text-sm text-slate-700">
      <span class="inline-block size-4 animate-spin rounded-full border-2 border-slate-300 border-t-blue-700" aria-hidden="true" />
      {label}
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="py-6 text-center text-sm text-slate-700">{children}</p>;
}

export function Pagination({ page, pages, total, onPage }: { page: number; pages: number; total: number; onPage: (p: number) => void }) {
  if (pages <= 1) return <p class="mt-2 text-sm text-slate-700">{total} registro(s)</p>;
  return (
    <nav aria-label="Paginação" class="mt-3 flex items-center gap-2 text-sm">
      <button type="button" class="btn btn-sm" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        ‹ Anterior
      </button>
      <span aria-live="polite">
        Página {page} de {pages} · {total} registro(s)
      </span>
      <button type="button" class="btn btn-sm" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Próxima ›
      </button>
    </nav>
  );
}

/** A native modal <dialog>: focus is trapped inside, Esc closes, the page behind is inert. */
export function Dialog({
  open,
  title,
  onClose,
  children,
  wide = false,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // Layout effect: the dialog is modal (and takes the focus) before the next key press.
  useLayoutEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
    } else if (!open && d.open) {
      if (typeof d.close === 'function') d.close();
      else d.removeAttribute('open');
      // Chromium gives the focus back to what had it before the dialog (the PDV's search box),
      // but when the focused element inside was removed first (the content unmounts with
      // `open`), that element takes no typed text until it is focused again: a scanner's code
      // after a sale went nowhere. Focusing it again fixes it.
      const back = document.activeElement;
      if (back instanceof HTMLElement && back !== document.body && !d.contains(back)) {
        back.blur();
        back.focus();
      }
    }
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      class={`m-auto w-[calc(100%-2rem)] rounded-lg p-0 shadow-xl ${wide ? 'max-w-3xl' : 'max-w-md'}`}
    >
      {open && (
        <div class="p-5">
          <div class="mb-4 flex items-start justify-between gap-4">
            <h2 id={titleId} class="text-lg font-bold">
              {title}
            </h2>
            <button type="button" class="btn btn-sm" onClick={onClose} aria-label="Fechar">
              ✕
            </button>
          </div>
          {children}
        </div>
      )}
    </dialog>
  );
}

/** Asks before a destructive action; shows the API's refusal in place. */
export function ConfirmDialog({
  open,
  title,
  message,
  confirmLabel,
  closeLabel = 'Cancelar',
  busy,
  error,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  message: ComponentChildren;
  confirmLabel: string;
  /** the button that gives up (when the action itself is a cancelling, "Voltar") */
  closeLabel?: string;
  busy: boolean;
  error?: string | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <p class="mb-4 text-sm">{message}</p>
      {error && <Alert>{error}</Alert>}
      <div class="mt-4 flex justify-end gap-2">
        <button type="button" class="btn" onClick={onClose}>
          {closeLabel}
        </button>
        <button type="button" class="btn btn-danger" disabled={busy} onClick={onConfirm}>
          {busy ? 'Aguarde…' : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

export function StatCard({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div class="card">
      <p class="text-sm text-slate-700">{label}</p>
      <p class="mt-1 text-2xl font-bold tabular-nums">{value}</p>
      {hint && <p class="mt-1 text-xs text-slate-600">{hint}</p>}
    </div>
  );
}
