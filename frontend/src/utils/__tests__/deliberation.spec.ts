import { describe, expect, it } from 'vitest'
import { satisfactionSeries, sharePercent } from '@/utils/deliberation'

describe('sharePercent', () => {
  it('gives hundredths of a percent, rounded down', () => {
    expect(sharePercent(2000, 10000)).toBe(2000)
    expect(sharePercent(1999, 10000)).toBe(1999)
    expect(sharePercent(5, 22)).toBe(2272)
    expect(sharePercent(1, 0)).toBe(0)
  })
})

describe('satisfactionSeries', () => {
  it('lines up every party on the same months and leaves gaps empty', () => {
    const s = satisfactionSeries([
      { month: '2026-11', party_kind: 'property_company', sum: 9, ratings: 2 },
      { month: '2026-10', party_kind: 'property_company', sum: 4, ratings: 1 },
      { month: '2026-11', party_kind: 'owners_committee', sum: 14, ratings: 3 },
    ])
    expect(s.months).toEqual(['2026-10', '2026-11'])
    expect(s.byParty.property_company).toEqual([4, 4.5])
    expect(s.byParty.owners_committee).toEqual([null, 4.67])
  })
})
