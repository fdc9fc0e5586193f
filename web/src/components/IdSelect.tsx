// A filter by user (the sales history's and the reports' "Vendedor", the audit log's "Quem"):
// "Todos" (value "") and each user by name (value: the id as a string).
import type { User } from '../api/types';

export function UserSelect({
  id,
  label,
  users,
  value,
  onChange,
}: {
  id: string;
  label: string;
  /** undefined while the list loads: only "Todos" */
  users: User[] | undefined;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <div>
      <label class="label" htmlFor={id}>
        {label}
      </label>
      <select id={id} class="input" value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">Todos</option>
        {users?.map((u) => (
          <option key={u.id} value={String(u.id)}>
            {u.username}
          </option>
        ))}
      </select>
    </div>
  );
}
