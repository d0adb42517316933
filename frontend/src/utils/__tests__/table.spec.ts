import { describe, expect, it } from 'vitest'
import { ariaSort, fromSortParam, nextSort, sortRows, toSortParam } from '@/utils/table'

type Unit = { id: number; room: string; area: number | null }
const units: Unit[] = [
  { id: 1, room: '10-201', area: 89.5 },
  { id: 2, room: '2-101', area: null },
  { id: 3, room: '10-101', area: 120 },
  { id: 4, room: '2-102', area: 89.5 },
]

describe('sortRows', () => {
  it('orders room numbers as a person reads them, not character by character', () => {
    expect(sortRows(units, (u) => u.room, 'asc').map((u) => u.id)).toEqual([2, 4, 3, 1])
    expect(sortRows(units, (u) => u.room, 'desc').map((u) => u.id)).toEqual([1, 3, 4, 2])
  })

  it('orders numbers by value, keeps equal rows in their order and empty values last both ways', () => {
    expect(sortRows(units, (u) => u.area, 'asc').map((u) => u.id)).toEqual([1, 4, 3, 2])
    expect(sortRows(units, (u) => u.area, 'desc').map((u) => u.id)).toEqual([3, 1, 4, 2])
  })

  it('orders Chinese names in one collation and leaves the given list as it was', () => {
    const names = [{ n: '王五' }, { n: '李四' }, { n: '张三' }, { n: 'Alice' }]
    const sorted = sortRows(names, (x) => x.n, 'asc').map((x) => x.n)
    expect(sorted).toHaveLength(4)
    expect(sortRows(names, (x) => x.n, 'desc').map((x) => x.n)).toEqual([...sorted].reverse())
    expect(names.map((x) => x.n)).toEqual(['王五', '李四', '张三', 'Alice'])
  })
})

describe('sort state', () => {
  it('sorts a new column ascending and turns it round on the next click', () => {
    expect(nextSort(null, 'room')).toEqual({ key: 'room', dir: 'asc' })
    expect(nextSort({ key: 'room', dir: 'asc' }, 'room')).toEqual({ key: 'room', dir: 'desc' })
    expect(nextSort({ key: 'room', dir: 'desc' }, 'room')).toEqual({ key: 'room', dir: 'asc' })
    expect(nextSort({ key: 'room', dir: 'desc' }, 'area')).toEqual({ key: 'area', dir: 'asc' })
  })

  it('tells assistive technology which column is sorted and which way', () => {
    expect(ariaSort({ key: 'room', dir: 'asc' }, 'room')).toBe('ascending')
    expect(ariaSort({ key: 'room', dir: 'desc' }, 'room')).toBe('descending')
    expect(ariaSort({ key: 'room', dir: 'desc' }, 'area')).toBe('none')
    expect(ariaSort(null, 'area')).toBe('none')
  })

  it('reads and writes the server sort parameter', () => {
    expect(fromSortParam('-created_at')).toEqual({ key: 'created_at', dir: 'desc' })
    expect(fromSortParam('title')).toEqual({ key: 'title', dir: 'asc' })
    expect(fromSortParam(undefined)).toBeNull()
    expect(fromSortParam(['x'])).toBeNull()
    expect(toSortParam({ key: 'due_at', dir: 'desc' })).toBe('-due_at')
    expect(toSortParam({ key: 'due_at', dir: 'asc' })).toBe('due_at')
    expect(toSortParam(null)).toBeUndefined()
  })
})
