import { describe, expect, it } from 'vitest'
import type { HolderView, UnitView } from '@/api/types'
import { holderSortValue, holderStanding, unitSortValue } from '@/utils/rosterTable'
import { sortRows } from '@/utils/table'

function holder(id: number, name: string, area: string, extra: Partial<HolderView> = {}): HolderView {
  return { id, name, area, compound_id: 1, holder_key: `H${id}`, is_developer: false, linked_users: [], units: 1, ...extra }
}

function unit(id: number, building: string, number: string, area: string, holderName: string | null = null): UnitView {
  return {
    id,
    area,
    area_source: 'registered',
    building_id: 1,
    building_name: building,
    compound_id: 1,
    holder_id: id,
    holder_key: `H${id}`,
    holder_name: holderName,
    number,
  }
}

const user = { id: 9, username: 'owner', display_name: 'Owner' } as HolderView['linked_users'][number]

describe('the owners table', () => {
  const holders = [
    holder(1, '王五', '120.00', { linked_users: [user] }),
    holder(2, '李四', '9.50'),
    holder(3, '开发商', '1000.00', { is_developer: true, units: 12 }),
    holder(4, '张三', '89.50', { linked_users: [user], units: 2 }),
  ]

  it('sorts areas as numbers, so 9.50 m² comes before 89.50 m²', () => {
    expect(sortRows(holders, (h) => holderSortValue(h, 'area'), 'asc').map((h) => h.id)).toEqual([2, 4, 1, 3])
    expect(sortRows(holders, (h) => holderSortValue(h, 'units'), 'desc').map((h) => h.id)).toEqual([3, 4, 1, 2])
  })

  it('sorts by standing: verified, then unverified, then the developer', () => {
    expect(holders.map(holderStanding)).toEqual(['verified', 'unverified', 'developer', 'verified'])
    expect(sortRows(holders, (h) => holderSortValue(h, 'standing'), 'asc').map((h) => h.id)).toEqual([1, 4, 2, 3])
  })
})

describe('the homes table', () => {
  const units = [unit(1, '10号楼', '1-1201', '89.50', '王五'), unit(2, '2号楼', '1-101', '120.00'), unit(3, '2号楼', '1-1101', '89.50', '李四')]

  it('sorts homes by building then room as read, numbers within names included', () => {
    expect(sortRows(units, (u) => unitSortValue(u, 'unit'), 'asc').map((u) => u.id)).toEqual([2, 3, 1])
  })

  it('keeps homes without a named holder last whichever the direction', () => {
    expect(sortRows(units, (u) => unitSortValue(u, 'holder'), 'asc').at(-1)?.id).toBe(2)
    expect(sortRows(units, (u) => unitSortValue(u, 'holder'), 'desc').at(-1)?.id).toBe(2)
  })
})
