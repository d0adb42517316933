import type { LocationQuery } from 'vue-router'
import { queryChoice, queryFlag } from './listQuery'
import { CONCERN_STATUSES } from './deliberation'

/** The counts on the secretary's desk, each one of a compound's filtered lists. */
export const DESK_COUNTS = [
  'submitted',
  'routed',
  'acknowledged',
  'reopened',
  'overdue',
  'agendasOpen',
  'agendasDeliberating',
  'confirmations',
] as const
export type DeskCount = (typeof DESK_COUNTS)[number]

/** Where a count's list is: the page and the filters in its address. */
export interface CountTarget {
  name: 'concerns' | 'agendas' | 'confirmations'
  query: Record<string, string>
}

/** The list a count opens. The list reads these filters back from its address (see `concernFilterOf`). */
export function countTarget(count: DeskCount): CountTarget {
  switch (count) {
    case 'submitted':
    case 'routed':
    case 'acknowledged':
    case 'reopened':
      return { name: 'concerns', query: { status: count } }
    case 'overdue':
      return { name: 'concerns', query: { overdue: '1' } }
    case 'agendasOpen':
      return { name: 'agendas', query: { status: 'open' } }
    case 'agendasDeliberating':
      return { name: 'agendas', query: { status: 'deliberating' } }
    case 'confirmations':
      return { name: 'confirmations', query: {} }
  }
}

/** The concern list's server filter as the concern list reads it from its address. */
export function concernFilterOf(query: LocationQuery): { status: string | null; overdue: boolean | null } {
  return { status: queryChoice(query, 'status', CONCERN_STATUSES) || null, overdue: queryFlag(query, 'overdue') || null }
}
