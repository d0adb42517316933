import type { Hands, ItemOutcome, MeetingKind, MeetingView, Position } from '@/api/meetings'

/** How a kind of meeting decides an item (the server's `meetings::kinds` table). */
export type Decision = 'positions' | 'members' | 'vote' | 'recorded' | 'hands' | 'agreement'

export const DECISIONS: Record<MeetingKind, Decision> = {
  consultation: 'positions',
  committee: 'members',
  assembly_sitting: 'vote',
  residents_council: 'recorded',
  residents_meeting: 'hands',
  mediation: 'agreement',
}

/** Who is in the room, as the outcome's check counts them. */
export interface Room {
  /** The parties with someone signed in. */
  parties: number[]
  /** The committee members signed in, and how many members the committee has. */
  members: number[]
  membersTotal: number
  /** Everyone signed in. */
  people: number
}

/** What the chair has entered for an item. */
export interface OutcomeEntries {
  /** Each party's position, by party id. */
  positions: Record<number, Position | undefined>
  /** Each member's vote, by user id. */
  votes: Record<number, Position | undefined>
  hands: Hands | null
  text: string
  /** The outcome the chair picks where the kind leaves it to the meeting (a council, a mediation). */
  chosen: Exclude<ItemOutcome, 'deferred'> | null
}

/** What still stops the outcome from being recorded, as a message key of `meetingLive.outcome.missing`. */
export type Missing = 'nobody' | 'positions' | 'hands' | 'handsTooMany' | 'text' | 'choose' | 'throughVote'

export function roomOf(m: Pick<MeetingView, 'attendance' | 'invitations'>): Room {
  const members = m.invitations.filter((i) => i.capacity === 'member')
  return {
    parties: m.attendance.parties.filter((p) => p.present > 0).map((p) => p.party_id),
    members: members.filter((i) => i.signed_in_at).map((i) => i.person.id),
    membersTotal: m.attendance.quorum_expected || members.length,
    people: m.attendance.present,
  }
}

const handsTotal = (h: Hands) => h.for + h.against + h.abstaining

/** What is missing before the entries make an outcome the server takes; null when nothing is. */
export function missing(kind: MeetingKind, e: OutcomeEntries, room: Room): Missing | null {
  switch (DECISIONS[kind]) {
    case 'vote':
      return 'throughVote'
    case 'positions':
      // The server would take an agreement of nobody; the desk does not offer one.
      if (!room.parties.length) return 'nobody'
      return room.parties.every((p) => e.positions[p]) ? null : 'positions'
    case 'members':
      return null
    case 'hands':
      if (!e.hands) return 'hands'
      return handsTotal(e.hands) > room.people ? 'handsTooMany' : null
    case 'recorded':
      if (e.hands && handsTotal(e.hands) > room.people) return 'handsTooMany'
      return e.chosen ? null : 'choose'
    case 'agreement':
      if (!e.chosen) return 'choose'
      return e.chosen === 'agreed' && !e.text.trim() ? 'text' : null
  }
}

/**
 * The outcome the entries give: a consultation agrees when no party present disagrees; a committee
 * when at least half of ALL its members agree; a residents' meeting when more than half of those
 * present raise their hands for it. Where the meeting itself decides, the chair's choice.
 */
export function outcomeOf(kind: MeetingKind, e: OutcomeEntries, room: Room): Exclude<ItemOutcome, 'deferred'> | null {
  if (missing(kind, e, room)) return null
  const of = (agreed: boolean) => (agreed ? 'agreed' : 'not_agreed')
  switch (DECISIONS[kind]) {
    case 'positions':
      return of(!room.parties.some((p) => e.positions[p] === 'disagree'))
    case 'members': {
      const agree = room.members.filter((u) => e.votes[u] === 'agree').length
      return of(2 * agree >= room.membersTotal)
    }
    case 'hands':
      return of(2 * (e.hands?.for ?? 0) > room.people)
    default:
      return e.chosen
  }
}

/** The body of the outcome request for `outcome`, holding only what the kind counts. */
export function outcomeBody(kind: MeetingKind, outcome: ItemOutcome, e: OutcomeEntries, room: Room) {
  const decision = DECISIONS[kind]
  const positions =
    decision === 'positions' && outcome !== 'deferred'
      ? room.parties.flatMap((party_id) => (e.positions[party_id] ? [{ party_id, position: e.positions[party_id] as Position }] : []))
      : []
  const votes =
    decision === 'members' && outcome !== 'deferred'
      ? room.members.flatMap((user_id) => (e.votes[user_id] ? [{ user_id, position: e.votes[user_id] as Position }] : []))
      : []
  const hands = (decision === 'hands' || decision === 'recorded') && outcome !== 'deferred' ? e.hands : null
  const text = e.text.trim() || null
  return { outcome, positions, votes, hands, text }
}
