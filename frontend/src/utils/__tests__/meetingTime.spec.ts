import { describe, expect, it } from 'vitest'
import { clockTime, dayInput } from '@/utils/meetingTime'

describe('meeting times', () => {
  it('shows a sign-in as hours and minutes on a 24-hour clock', () => {
    const at = new Date(2026, 11, 1, 14, 5).toISOString()
    expect(clockTime(at, 'zh-CN')).toBe('14:05')
    expect(clockTime(at, 'en')).toBe('14:05')
    expect(clockTime('not a time', 'en')).toBe('not a time')
  })

  it('gives a day for the date input, across the end of a month', () => {
    expect(dayInput(new Date(2026, 11, 30, 23, 0), 2)).toBe('2027-01-01')
    expect(dayInput(new Date(2026, 0, 5))).toBe('2026-01-05')
  })
})
