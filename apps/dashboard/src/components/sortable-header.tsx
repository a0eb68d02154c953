import type { ComponentChildren } from 'preact';

export interface SortState<K extends string> {
  readonly key: K;
  readonly direction: 'ascending' | 'descending';
}

/** A column header that sorts the table: a real button (keyboard, screen readers) and aria-sort on the header cell. */
export function SortableHeader<K extends string>({
  column,
  sort,
  onSort,
  children,
  numeric,
}: {
  column: K;
  sort: SortState<K>;
  onSort: (next: SortState<K>) => void;
  children: ComponentChildren;
  numeric?: boolean;
}) {
  const active = sort.key === column;
  const next: SortState<K> = { key: column, direction: active && sort.direction === 'ascending' ? 'descending' : active ? 'ascending' : numeric ? 'descending' : 'ascending' };
  return (
    <th scope="col" aria-sort={active ? sort.direction : 'none'} class={numeric ? 'numeric' : undefined}>
      <button type="button" class="sort-button" onClick={() => onSort(next)}>
        {children}
        <span class="sort-indicator" aria-hidden="true">
          {active ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}
