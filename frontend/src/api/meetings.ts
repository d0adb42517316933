import type { components } from './schema'

type Schemas = components['schemas']

export type MeetingKind = Schemas['MeetingKind']
export type MeetingStatus = Schemas['MeetingStatus']
export type MeetingSummary = Schemas['MeetingSummary']
export type MeetingCan = Schemas['MeetingCan']
export type MeetingAnswer = Schemas['Answer']
export type Capacity = Schemas['Capacity']
export type AnswerCounts = Schemas['AnswerCounts']
export type MeetingItem = Schemas['ItemView']
export type ItemSource = Schemas['ItemSource']
export type Person = Schemas['Person']
export type NewMeeting = Schemas['NewMeeting']
export type NewMeetingItem = Schemas['NewItem']

/**
 * An invitation to a meeting as the server sends it (`meetings::InvitationView`). The OpenAPI
 * document has two schemas of that name, the meeting's and the owners' invitation codes', and keeps
 * only the latter, so the generated type of `MeetingView.invitations` is not what arrives.
 */
export interface MeetingInvitation {
  id: number
  person: Person
  capacity: Capacity
  party_kind?: Schemas['PartyKind'] | null
  party_name?: string | null
  answer: MeetingAnswer
  deputy_name?: string | null
  answered_at?: string | null
  signed_in_at?: string | null
}

/** A meeting with its items and invitations, as the server sends it. */
export type MeetingView = Omit<Schemas['MeetingView'], 'invitations' | 'my_invitation'> & {
  invitations: MeetingInvitation[]
  my_invitation?: MeetingInvitation | null
}

/** The meeting an answer of `/meetings/{id}…` carries, with its invitations typed as they arrive (see above). */
export function asMeeting(view: Schemas['MeetingView']): MeetingView {
  return view as unknown as MeetingView
}
