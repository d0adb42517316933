import { describe, expect, it } from 'vitest'
import type { MeetingSummary } from '@/api/meetings'
import { minutingKind, minutingMeetings } from '@/composables/conventionAdoption'

const meeting = (m: Partial<MeetingSummary> & Pick<MeetingSummary, 'id'>): MeetingSummary => ({
  community_id: 1,
  compound_ids: [7],
  duration_minutes: 60,
  kind: 'committee',
  status: 'held',
  title: `会议 ${m.id}`,
  starts_at: '2026-11-01T07:00:00Z',
  ...m,
})

describe('the meeting whose minutes record a decision', () => {
  it('is a residents’ meeting for that route, and for a pledge the meeting of the body that decided it', () => {
    expect(minutingKind('residents_meeting', '')).toBe('residents_meeting')
    expect(minutingKind('residents_meeting', 'owners_committee')).toBe('residents_meeting')
    expect(minutingKind('pledge', 'owners_committee')).toBe('committee')
    expect(minutingKind('pledge', 'three_party')).toBe('consultation')
    expect(minutingKind('pledge', 'residents_council')).toBe('residents_council')
  })

  it('is none for a vote, for a pledge whose body is not chosen, nor for a body unknown', () => {
    expect(minutingKind('vote', 'owners_committee')).toBeNull()
    expect(minutingKind('pledge', '')).toBeNull()
    expect(minutingKind('pledge', null)).toBeNull()
    expect(minutingKind('pledge', 'residents_meeting')).toBeNull()
    expect(minutingKind('pledge', 'toString')).toBeNull()
  })

  it('is chosen among the held meetings of that kind, each once, the latest first', () => {
    const lists = [
      meeting({ id: 1, starts_at: '2026-09-10T07:00:00Z' }),
      meeting({ id: 2, starts_at: '2026-11-20T07:00:00Z' }),
      meeting({ id: 3, status: 'scheduled', starts_at: '2026-12-20T07:00:00Z' }),
      meeting({ id: 4, status: 'cancelled' }),
      meeting({ id: 5, status: 'in_progress' }),
      meeting({ id: 6, kind: 'consultation' }),
      // The same meeting again, from the list of another compound it was held for.
      meeting({ id: 2, compound_ids: [7, 8], starts_at: '2026-11-20T07:00:00Z' }),
      meeting({ id: 7, starts_at: '2026-10-05T01:30:00+08:00' }),
    ]
    expect(minutingMeetings(lists, 'committee').map((m) => m.id)).toEqual([2, 7, 1])
    expect(minutingMeetings(lists, 'consultation').map((m) => m.id)).toEqual([6])
    expect(minutingMeetings(lists, 'residents_meeting')).toEqual([])
    expect(minutingMeetings(lists, null)).toEqual([])
  })

  it('leaves the lists it was given as they were', () => {
    const lists = [meeting({ id: 1, starts_at: '2026-01-01T00:00:00Z' }), meeting({ id: 2, starts_at: '2026-02-01T00:00:00Z' })]
    minutingMeetings(lists, 'committee')
    expect(lists.map((m) => m.id)).toEqual([1, 2])
  })
})
