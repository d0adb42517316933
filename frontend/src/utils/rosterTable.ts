import type { HolderView, UnitView } from '@/api/types'
import { areaToHundredths } from './area'
import type { SortValue } from './table'

/** A holder's standing in the roster, in the order the status column sorts by. */
export function holderStanding(h: Pick<HolderView, 'is_developer' | 'linked_users'>): 'verified' | 'unverified' | 'developer' {
  if (h.is_developer) return 'developer'
  return h.linked_users.length > 0 ? 'verified' : 'unverified'
}

const STANDING_ORDER = { verified: 0, unverified: 1, developer: 2 } as const

/** What a column of the owners' table sorts a holder by; areas in hundredths of a m², so 9.5 comes before 10. */
export function holderSortValue(h: HolderView, key: string): SortValue {
  switch (key) {
    case 'name':
      return h.name
    case 'holder_key':
      return h.holder_key
    case 'units':
      return h.units
    case 'area':
      return areaToHundredths(h.area)
    case 'standing':
      return STANDING_ORDER[holderStanding(h)]
    case 'phone':
      return h.phone ?? null
    default:
      return null
  }
}

/** What a column of the homes' table sorts a unit by: the home by building then room, as read. */
export function unitSortValue(u: UnitView, key: string): SortValue {
  switch (key) {
    case 'unit':
      return `${u.building_name} ${u.number}`
    case 'holder':
      return u.holder_name ?? null
    case 'holder_key':
      return u.holder_key
    case 'area':
      return areaToHundredths(u.area)
    default:
      return null
  }
}
