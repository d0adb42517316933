import { describe, expect, it } from 'vitest'
import { DESK_COUNTS, concernFilterOf, countTarget } from '@/utils/deskCounts'

describe('the counts on the secretary desk', () => {
  it('each open the list filtered to exactly what they count', () => {
    expect(countTarget('submitted')).toEqual({ name: 'concerns', query: { status: 'submitted' } })
    expect(countTarget('overdue')).toEqual({ name: 'concerns', query: { overdue: '1' } })
    expect(countTarget('agendasDeliberating')).toEqual({ name: 'agendas', query: { status: 'deliberating' } })
    expect(countTarget('confirmations')).toEqual({ name: 'confirmations', query: {} })
  })

  it('are counted with the filter the list reads back from its address', () => {
    for (const count of DESK_COUNTS) {
      const target = countTarget(count)
      if (target.name !== 'concerns') continue
      const filter = concernFilterOf(target.query)
      expect(filter.status ?? filter.overdue).toBeTruthy()
      if (count === 'overdue') expect(filter).toEqual({ status: null, overdue: true })
      else expect(filter).toEqual({ status: count, overdue: null })
    }
  })
})
