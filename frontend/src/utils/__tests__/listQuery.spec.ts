import { describe, expect, it } from 'vitest'
import { queryChoice, queryFlag, queryNumber, queryText, toQuery } from '@/utils/listQuery'

describe('list filters in the address', () => {
  const query = { status: 'submitted', category: '7', overdue: '1', mine: 'no', q: ['a', 'b'], page: '-2' }

  it('reads text, numbers, flags and choices, and ignores what does not fit', () => {
    expect(queryText(query, 'status')).toBe('submitted')
    expect(queryText(query, 'q')).toBe('')
    expect(queryNumber(query, 'category')).toBe(7)
    expect(queryNumber(query, 'page')).toBe(0)
    expect(queryNumber(query, 'missing')).toBe(0)
    expect(queryFlag(query, 'overdue')).toBe(true)
    expect(queryFlag(query, 'mine')).toBe(false)
    expect(queryChoice(query, 'status', ['submitted', 'routed'] as const)).toBe('submitted')
    expect(queryChoice(query, 'status', ['routed'] as const)).toBe('')
  })

  it('writes only the filters that narrow the list, so the plain list has a plain address', () => {
    expect(toQuery({ status: 'routed', category: 0, party: '', overdue: true, mine: false, sort: undefined })).toEqual({
      status: 'routed',
      overdue: '1',
    })
    expect(toQuery({ status: '', sort: '-due_at', category: 3 })).toEqual({ sort: '-due_at', category: '3' })
  })

  it('reads back what it wrote', () => {
    const written = toQuery({ status: 'acknowledged', category: 4, overdue: true })
    expect(queryChoice(written, 'status', ['acknowledged'] as const)).toBe('acknowledged')
    expect(queryNumber(written, 'category')).toBe(4)
    expect(queryFlag(written, 'overdue')).toBe(true)
  })
})
