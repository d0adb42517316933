import { describe, expect, it } from 'vitest'
import { missing, outcomeBody, outcomeOf, roomOf, type OutcomeEntries, type Room } from '@/utils/meetingOutcome'

const none = (): OutcomeEntries => ({ positions: {}, votes: {}, hands: null, text: '', chosen: null })

describe('the outcome an item gets', () => {
  it('a consultation needs every party present and agrees when none disagrees', () => {
    const room: Room = { parties: [1, 2, 3], members: [], membersTotal: 0, people: 4 }
    const e = none()
    e.positions = { 1: 'agree', 2: 'reserve' }
    expect(missing('consultation', e, room)).toBe('positions')
    expect(outcomeOf('consultation', e, room)).toBeNull()
    e.positions[3] = 'agree'
    expect(outcomeOf('consultation', e, room)).toBe('agreed')
    e.positions[2] = 'disagree'
    expect(outcomeOf('consultation', e, room)).toBe('not_agreed')
    e.positions[9] = 'agree'
    expect(missing('consultation', e, { ...room, parties: [] })).toBe('nobody')
    expect(outcomeBody('consultation', 'not_agreed', e, room).positions).toEqual([
      { party_id: 1, position: 'agree' },
      { party_id: 2, position: 'disagree' },
      { party_id: 3, position: 'agree' },
    ])
  })

  it('a committee agrees with at least half of all its members, not of those present', () => {
    const room: Room = { parties: [], members: [1, 2, 3, 4], membersTotal: 7, people: 4 }
    const e = none()
    e.votes = { 1: 'agree', 2: 'agree', 3: 'agree', 4: 'reserve' }
    expect(outcomeOf('committee', e, room)).toBe('not_agreed')
    e.votes[4] = 'agree'
    expect(outcomeOf('committee', e, room)).toBe('agreed')
    expect(outcomeOf('committee', e, { ...room, membersTotal: 8 })).toBe('agreed')
  })

  it('a residents’ meeting counts hands against those present', () => {
    const room: Room = { parties: [], members: [], membersTotal: 0, people: 101 }
    const e = none()
    expect(missing('residents_meeting', e, room)).toBe('hands')
    e.hands = { for: 51, against: 40, abstaining: 10 }
    expect(outcomeOf('residents_meeting', e, room)).toBe('agreed')
    e.hands = { for: 50, against: 40, abstaining: 11 }
    expect(outcomeOf('residents_meeting', e, room)).toBe('not_agreed')
    e.hands = { for: 60, against: 40, abstaining: 10 }
    expect(missing('residents_meeting', e, room)).toBe('handsTooMany')
  })

  it('a mediation agrees in words, a council as the chair records it, an assembly sitting only through a vote', () => {
    const room: Room = { parties: [], members: [], membersTotal: 0, people: 3 }
    const e = none()
    expect(missing('mediation', e, room)).toBe('choose')
    e.chosen = 'agreed'
    expect(missing('mediation', e, room)).toBe('text')
    e.text = '双方各半承担修复费用。'
    expect(outcomeOf('mediation', e, room)).toBe('agreed')
    expect(outcomeOf('residents_council', e, room)).toBe('agreed')
    expect(missing('assembly_sitting', e, room)).toBe('throughVote')
    expect(outcomeBody('mediation', 'deferred', e, room)).toEqual({ outcome: 'deferred', positions: [], votes: [], hands: null, text: '双方各半承担修复费用。' })
  })

  it('reads the room from the meeting', () => {
    const person = (id: number) => ({ id, name: `p${id}` })
    const invitation = (id: number, capacity: 'member' | 'party', here: boolean) => ({
      id,
      person: person(id),
      capacity,
      answer: 'attending' as const,
      signed_in_at: here ? '2026-12-01T08:00:00Z' : null,
    })
    const room = roomOf({
      attendance: {
        present: 3,
        invited: 4,
        parties: [
          { party_id: 5, party_name: 'a', invited: 2, present: 2 },
          { party_id: 6, party_name: 'b', invited: 1, present: 0 },
        ],
        absent_parties: [],
        quorum_present: 2,
        quorum_expected: 3,
        quorum_needed: 2,
        quorum_met: true,
      },
      invitations: [invitation(1, 'member', true), invitation(2, 'member', true), invitation(3, 'member', false), invitation(4, 'party', true)],
    })
    expect(room).toEqual({ parties: [5], members: [1, 2], membersTotal: 3, people: 3 })
  })
})
