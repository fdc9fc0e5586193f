import { useEffect, useRef, useState } from 'preact/hooks';
import { Alert, Dialog } from '../../components/ui';
import type { Approval } from './discountLimit';

/**
 * An employee's discount above the settings' limit: an administrator types their name and
 * password here, and the same sale is sent again with the approval. The password is never
 * kept: it goes with that one request.
 */
export function ApprovalDialog(props: {
  open: boolean;
  /** the server's reason ("Desconto acima do limite de 5% …") */
  message: string;
  error: string | null;
  submitting: boolean;
  onApprove: (approval: Approval) => void;
  onClose: () => void;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const userRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!props.open) {
      setPassword('');
      return;
    }
    setTimeout(() => userRef.current?.focus(), 0);
  }, [props.open]);

  useEffect(() => {
    if (props.error) setPassword('');
  }, [props.error]);

  function submit(e: Event) {
    e.preventDefault();
    if (props.submitting || !username.trim() || !password) return;
    props.onApprove({ username: username.trim(), password });
  }

  return (
    <Dialog open={props.open} title="Aprovação do desconto" onClose={props.onClose}>
      <form onSubmit={submit} class="space-y-3" data-testid="approval-dialog">
        <p class="text-sm">{props.message}</p>
        <p class="text-sm text-slate-700">Um administrador digita o nome e a senha para aprovar o desconto desta venda.</p>
        <div>
          <label class="label" htmlFor="approval-user">
            Administrador
          </label>
          <input
            ref={userRef}
            id="approval-user"
            class="input"
            autoComplete="off"
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </div>
        <div>
          <label class="label" htmlFor="approval-password">
            Senha do administrador
          </label>
          <input
            id="approval-password"
            type="password"
            class="input"
            autoComplete="off"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </div>
        {props.error && <Alert>{props.error}</Alert>}
        <div class="flex justify-end gap-2">
          <button type="button" class="btn" onClick={props.onClose} disabled={props.submitting}>
            Voltar
          </button>
          <button type="submit" class="btn btn-primary" disabled={props.submitting || !username.trim() || !password}>
            {props.submitting ? 'Enviando…' : 'Aprovar e finalizar'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
