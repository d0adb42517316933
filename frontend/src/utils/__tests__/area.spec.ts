import { describe, expect, it } from 'vitest'
import { areaToHundredths, hundredthsToArea, sumAreas } from '@/utils/area'

describe('area arithmetic', () => {
  it('sums two-decimal strings exactly', () => {
    // 0.1 + 0.2 in floating point is 0.30000000000000004; in hundredths it is exact.
    expect(sumAreas(['0.10', '0.20'])).toBe('0.30')
    expect(sumAreas(['89.50', '120.05', '65.45'])).toBe('275.00')
    expect(sumAreas([])).toBe('0.00')
  })

  it('parses and prints areas, including one decimal and negatives', () => {
    expect(areaToHundredths('89.5')).toBe(8950)
    expect(areaToHundredths('-3')).toBe(-300)
    expect(hundredthsToArea(5)).toBe('0.05')
    expect(hundredthsToArea(-305)).toBe('-3.05')
    expect(() => areaToHundredths('abc')).toThrow(RangeError)
  })
})
