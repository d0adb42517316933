import type { ConcernStatus } from '@/api/types'

/** `part` of `whole` in hundredths of a percent, rounded down (exact integers, as the server counts). */
export function sharePercent(part: number, whole: number): number {
  if (whole <= 0) return 0
  return Math.floor((part * 10000) / whole)
}

/** Statuses a concern list can filter by, in the order they happen. */
export const CONCERN_STATUSES: readonly ConcernStatus[] = ['submitted', 'routed', 'acknowledged', 'reopened', 'resolved', 'confirmed']

/** Photos a concern may carry. */
export const MAX_PHOTOS = 6

/** Months of the satisfaction series, oldest first, and each party's average per month (null: no ratings). */
export function satisfactionSeries(
  rows: { month: string; party_kind: string; sum: number; ratings: number }[],
): { months: string[]; byParty: Record<string, (number | null)[]> } {
  const months = [...new Set(rows.map((r) => r.month))].sort()
  const byParty: Record<string, (number | null)[]> = {}
  for (const r of rows) {
    const series = (byParty[r.party_kind] ??= months.map(() => null))
    series[months.indexOf(r.month)] = Math.round((r.sum * 100) / r.ratings) / 100
  }
  return { months, byParty }
}
