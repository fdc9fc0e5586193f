// A choice among things with an id: the filters by user (the sales history's and the reports'
// "Vendedor", the audit log's "Quem") and by store ("Loja"), with their "Todos"/"Todas" (value
// ""), and the PDV's and the cash page's store (`inline`: "Loja: …" on one line). The value is
// the id as a string.
import type { User } from '../api/types';

export function IdSelect({
  id,
  label,
  options,
  value,
  onChange,
  all,
  inline = false,
  disabled = false,
  hint,
}: {
  id: string;
  label: string;
  /** undefined while the list loads: only `all` */
  options: readonly { id: number; name: string }[] | undefined;
  value: string;
  onChange: (value: string) => void;
  /** the first option, "every one" (value "") */
  all?: string;
  inline?: boolean;
  disabled?: boolean;
  hint?: string;
}) {
  return (
    <div class={inline ? 'flex items-center gap-2 text-sm' : undefined}>
      <label class={inline ? 'font-medium text-slate-800' : 'label'} htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        class={`input ${inline ? 'w-auto py-1' : ''}`}
        value={value}
        disabled={disabled}
        title={hint}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.currentTarget.value)}
      >
        {all !== undefined && <option value="">{all}</option>}
        {options?.map((o) => (
          <option key={o.id} value={String(o.id)}>
            {o.name}
          </option>
        ))}
      </select>
      {hint && (
        <span id={`${id}-hint`} class={`text-xs text-slate-600 ${inline ? '' : 'mt-1 block'}`}>
          {hint}
        </span>
      )}
    </div>
  );
}

export function UserSelect({ users, ...props }: { id: string; label: string; users: User[] | undefined; value: string; onChange: (value: string) => void }) {
  return <IdSelect {...props} all="Todos" options={users?.map((u) => ({ id: u.id, name: u.username }))} />;
}
