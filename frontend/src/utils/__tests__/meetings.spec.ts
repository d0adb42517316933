import { describe, expect, it } from 'vitest'
import type { MeetingInvitation, MeetingSummary } from '@/api/meetings'
import { membership } from '@/__tests__/helpers'
import {
  calendar,
  convenableKinds,
  durationParts,
  emptyMeeting,
  fieldValue,
  groupInvitations,
  isUpcoming,
  moveEntry,
  newItem,
  parseSource,
  setKind,
  toNewMeeting,
  validateMeeting,
} from '@/utils/meetings'

const NOW = new Date(2026, 4, 15, 12, 0).getTime()
const HOUR = 3_600_000

function summary(id: number, startsAt: number, patch: Partial<MeetingSummary> = {}): MeetingSummary {
  return {
    id,
    community_id: 1,
    compound_ids: [7],
    kind: 'consultation',
    title: `会议 ${id}`,
    status: 'scheduled',
    starts_at: new Date(startsAt).toISOString(),
    duration_minutes: 60,
    place: '会议室',
    my_answer: null,
    ...patch,
  }
}

function invitation(id: number, patch: Partial<MeetingInvitation>): MeetingInvitation {
  return { id, person: { id, name: `人${id}` }, capacity: 'party', answer: 'pending', ...patch }
}

describe('the meetings calendar', () => {
  it('puts what is ahead first, soonest first, then what is past, latest first, each by month', () => {
    const list = [
      summary(1, new Date(2026, 3, 2, 9).getTime(), { status: 'held' }),
      summary(2, new Date(2026, 5, 3, 14).getTime()),
      summary(3, new Date(2026, 4, 20, 14).getTime()),
      summary(4, new Date(2026, 4, 10, 14).getTime(), { status: 'cancelled' }),
      summary(5, NOW - HOUR / 2, { status: 'in_progress' }),
      summary(6, new Date(2026, 4, 28, 9).getTime(), { status: 'cancelled' }),
    ]
    const { upcoming, past } = calendar(list, NOW)
    expect(upcoming.map((g) => [g.key, g.meetings.map((m) => m.id)])).toEqual([
      ['2026-05', [5, 3, 6]],
      ['2026-06', [2]],
    ])
    expect(past.map((g) => [g.key, g.meetings.map((m) => m.id)])).toEqual([
      ['2026-05', [4]],
      ['2026-04', [1]],
    ])
    expect(upcoming[1]?.month).toEqual(new Date(2026, 5, 1))
  })

  it('keeps a meeting ahead until it is planned to end, unless it has been held', () => {
    const started = summary(1, NOW - 30 * 60_000)
    expect(isUpcoming(started, NOW)).toBe(true)
    expect(isUpcoming({ ...started, status: 'held' }, NOW)).toBe(false)
    expect(isUpcoming(summary(2, NOW - 2 * HOUR), NOW)).toBe(false)
  })

  it('says durations in hours and minutes', () => {
    expect(durationParts(90)).toEqual({ hours: 1, minutes: 30 })
    expect(durationParts(45)).toEqual({ hours: 0, minutes: 45 })
  })
})

describe('who is offered to convene', () => {
  it('follows the kinds’ conveners in the community office or the compound', () => {
    const office = [membership('secretary', { community_id: 1 })]
    expect(convenableKinds(office, 7, 1)).toEqual(['consultation', 'residents_council', 'residents_meeting', 'mediation'])
    expect(convenableKinds(office, 7, 2)).toEqual([])
    const chair = [membership('committee_chair', { community_id: 1, compound_id: 7 })]
    expect(convenableKinds(chair, 7, 1)).toEqual(['committee', 'assembly_sitting'])
    expect(convenableKinds(chair, 8, 1)).toEqual([])
    expect(convenableKinds([membership('committee_member', { community_id: 1, compound_id: 7 })], 7, 1)).toEqual(['assembly_sitting'])
    expect(convenableKinds([membership('property_manager', { community_id: 1, compound_id: 7 }), membership('owner', { compound_id: 7 })], 7, 1)).toEqual([])
  })
})

describe('the convening form', () => {
  it('proposes a start after the kind’s notice and keeps one compound where the kind takes one', () => {
    const d = emptyMeeting('consultation', [7, 8], NOW)
    expect(d.startsAt).toBe('2026-05-16T14:00')
    d.invitees = [{ id: 3, name: '王芳' }]
    setKind(d, 'committee', NOW)
    expect(d.compoundIds).toEqual([7])
    expect(d.invitees).toEqual([])
    expect(d.startsAt).toBe('2026-05-23T14:00')
    d.startsAt = '2026-06-01T09:30'
    setKind(d, 'mediation', NOW)
    expect(d.startsAt).toBe('2026-06-01T09:30')
  })

  it('names problems the way the server names fields', () => {
    const d = emptyMeeting('mediation', [], NOW)
    d.onlineLink = 'http://meet.example.org/1'
    d.items = [newItem(), newItem()]
    d.items[0]!.title = '说明'
    d.items[1]!.minutes = '0'
    expect(Object.keys(validateMeeting(d)).sort()).toEqual(['compound_ids', 'invitee_ids', 'items[1].minutes', 'items[1].title', 'online_link', 'title'])
    d.onlineLink = ''
    expect(validateMeeting(d).place?.key).toBe('meetings.form.errors.where')
  })

  it('sends the items in order with their sources, and named people only where the kind names any', () => {
    const d = emptyMeeting('consultation', [7], NOW)
    d.title = ' 北门垃圾清运 '
    d.place = ' 会议室 '
    d.invitees = [{ id: 9, name: '王芳' }]
    d.items = [newItem(), newItem(), newItem()]
    d.items[0]!.title = '议题'
    d.items[0]!.source = 'agenda:3'
    d.items[1]!.title = '说明'
    d.items[1]!.presenter = { id: 4, name: '赵经理' }
    d.items[2]!.title = '其他'
    moveEntry(d.items, 2, -1)
    moveEntry(d.items, 0, -1)
    const body = toNewMeeting(d)
    expect(body.title).toBe('北门垃圾清运')
    expect(body.place).toBe('会议室')
    expect(body.online_link).toBeNull()
    expect(body.starts_at).toBe(new Date(2026, 4, 16, 14, 0).toISOString())
    expect(body.items).toEqual([
      { title: '议题', minutes: 15, presenter_id: null, source: 'agenda', source_id: 3 },
      { title: '其他', minutes: 15, presenter_id: null, source: null, source_id: null },
      { title: '说明', minutes: 15, presenter_id: 4, source: null, source_id: null },
    ])
    expect(body.invitee_ids).toEqual([])
    setKind(d, 'residents_council', NOW)
    expect(toNewMeeting(d).invitee_ids).toEqual([9])
    expect(body.attachment_ids).toEqual([])
    d.papers = [{ id: 21, name: '方案.pdf', content_type: 'application/pdf', size: 1024, sha256: 'ab' }]
    expect(toNewMeeting(d).attachment_ids).toEqual([21])
  })

  it('reads sources and field paths', () => {
    expect(parseSource('questionnaire:12')).toEqual({ source: 'questionnaire', id: 12 })
    expect(parseSource('')).toBeNull()
    expect(parseSource('party:1')).toBeNull()
    expect(parseSource('vote:x')).toBeNull()
    const body = { title: 'a', items: [{ title: 'b' }, { title: 'c', minutes: 5 }] }
    expect(fieldValue(body, 'items[1].minutes')).toBe(5)
    expect(fieldValue(body, 'title')).toBe('a')
    expect(fieldValue(body, 'items[4].title')).toBeUndefined()
    expect(fieldValue(null, 'title')).toBeUndefined()
  })
})

describe('the invitations', () => {
  it('are grouped by party in the office, property, committee order, then members, sides and residents', () => {
    const groups = groupInvitations([
      invitation(1, { capacity: 'side' }),
      invitation(2, { party_kind: 'owners_committee', party_name: '业委会' }),
      invitation(3, { party_kind: 'community_office', party_name: '居委会' }),
      invitation(4, { party_kind: 'property_company', party_name: '物业' }),
      invitation(5, { party_kind: 'community_office', party_name: '居委会' }),
      invitation(6, { capacity: 'resident' }),
    ])
    expect(groups.map((g) => [g.key, g.invitations.map((i) => i.id)])).toEqual([
      ['party-community_office-居委会', [3, 5]],
      ['party-property_company-物业', [4]],
      ['party-owners_committee-业委会', [2]],
      ['side', [1]],
      ['resident', [6]],
    ])
    expect(groups[0]?.partyName).toBe('居委会')
  })
})
