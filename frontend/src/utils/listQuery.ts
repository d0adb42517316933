import type { LocationQuery } from 'vue-router'

/** A list's filters as they stand in the address, so a link opens the list filtered and a reload keeps it. */
export type QueryValue = string | number | boolean | null | undefined

/** The text of query parameter `key`, or '' when absent or repeated. */
export function queryText(query: LocationQuery, key: string): string {
  const v = query[key]
  return typeof v === 'string' ? v : ''
}

/** Query parameter `key` as a positive whole number, or 0. */
export function queryNumber(query: LocationQuery, key: string): number {
  const n = Number(queryText(query, key))
  return Number.isInteger(n) && n > 0 ? n : 0
}

/** Query parameter `key` as a flag: present as `1` or `true`. */
export function queryFlag(query: LocationQuery, key: string): boolean {
  const v = queryText(query, key)
  return v === '1' || v === 'true'
}

/** `query` with `allowed`'s value for `key`, or '' when the address holds something else. */
export function queryChoice<T extends string>(query: LocationQuery, key: string, allowed: readonly T[]): T | '' {
  const v = queryText(query, key)
  return (allowed as readonly string[]).includes(v) ? (v as T) : ''
}

/** The filters as query parameters: empty, zero and false ones left out, flags as `1`. */
export function toQuery(filters: Record<string, QueryValue>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(filters)) {
    if (value === null || value === undefined || value === '' || value === 0 || value === false) continue
    out[key] = value === true ? '1' : String(value)
  }
  return out
}
