/** Which column a table is sorted by, and which way. */
export interface SortState {
  key: string
  dir: 'asc' | 'desc'
}

/** What a sortable cell is compared by: text in the reader's collation, numbers as numbers. */
export type SortValue = string | number | null | undefined

const collator = new Intl.Collator(['zh-CN', 'en'], { numeric: true, sensitivity: 'base' })

/** Compares two cell values; empty values go last whichever the direction. */
export function compareValues(a: SortValue, b: SortValue): number {
  const emptyA = a === null || a === undefined || a === ''
  const emptyB = b === null || b === undefined || b === ''
  if (emptyA || emptyB) return emptyA === emptyB ? 0 : emptyA ? 1 : -1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return collator.compare(String(a), String(b))
}

/**
 * `rows` sorted by `value` in `sort`'s direction, equal rows keeping their order; a copy, the
 * list given is left as it was. Empty values stay last in both directions.
 */
export function sortRows<T>(rows: readonly T[], value: (row: T) => SortValue, dir: SortState['dir']): T[] {
  const sign = dir === 'asc' ? 1 : -1
  return rows
    .map((row, i) => ({ row, i, v: value(row) }))
    .sort((a, b) => {
      const emptyA = a.v === null || a.v === undefined || a.v === ''
      const emptyB = b.v === null || b.v === undefined || b.v === ''
      const c = emptyA || emptyB ? compareValues(a.v, b.v) : sign * compareValues(a.v, b.v)
      return c !== 0 ? c : a.i - b.i
    })
    .map((x) => x.row)
}

/** The sort after a click on column `key`: ascending first, then the other way at each click. */
export function nextSort(current: SortState | null, key: string): SortState {
  if (current?.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' }
  return { key, dir: 'asc' }
}

/** The `aria-sort` of column `key`. */
export function ariaSort(current: SortState | null, key: string): 'ascending' | 'descending' | 'none' {
  if (current?.key !== key) return 'none'
  return current.dir === 'asc' ? 'ascending' : 'descending'
}

/** A server's `sort` parameter (`title`, `-created_at`) as a table's sort, and back. */
export function fromSortParam(param: unknown): SortState | null {
  if (typeof param !== 'string' || param === '' || param === '-') return null
  return param.startsWith('-') ? { key: param.slice(1), dir: 'desc' } : { key: param, dir: 'asc' }
}

export function toSortParam(sort: SortState | null): string | undefined {
  if (!sort) return undefined
  return sort.dir === 'desc' ? `-${sort.key}` : sort.key
}
