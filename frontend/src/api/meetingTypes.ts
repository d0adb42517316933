import { unwrap } from './client'
import type { components, operations } from './schema'

type Schemas = components['schemas']

// The live meeting, its action items and the calendar feed.
export type MeetingKind = Schemas['MeetingKind']
export type MeetingStatus = Schemas['MeetingStatus']
export type MeetingItem = Schemas['ItemView']
export type Attendance = Schemas['Attendance']
export type PartyAttendance = Schemas['PartyAttendance']
export type LiveState = Schemas['LiveState']
export type LiveItem = Schemas['LiveItem']
export type ItemStatus = Schemas['ItemStatus']
export type ItemOutcome = Schemas['ItemOutcome']
export type Position = Schemas['Position']
export type Hands = Schemas['Hands']
export type OutcomeRequest = Schemas['OutcomeRequest']
export type SignInCode = Schemas['SignInCode']
export type SignInMethod = Schemas['SignInMethod']
export type TaskView = Schemas['TaskView']
export type TaskSummary = Schemas['TaskSummary']
export type TaskStatus = Schemas['TaskStatus']
export type TaskFilterStatus = NonNullable<NonNullable<operations['list_tasks']['parameters']['query']>['status']>

/** An invitation to a meeting, with its answer and sign-in. */
export interface MeetingInvitation {
  id: number
  person: Schemas['Person']
  capacity: Schemas['Capacity']
  party_kind?: Schemas['PartyKind'] | null
  party_name?: string | null
  answer: Schemas['Answer']
  deputy_name?: string | null
  answered_at?: string | null
  signed_in_at?: string | null
  sign_in_method?: SignInMethod | null
}

/**
 * A meeting in full. The OpenAPI document names the meeting's invitation `InvitationView`, as it names
 * the holder's invitation code, so the generated `MeetingView` types its invitations as codes; the
 * meeting's answers are read through `meetingOf`, in this one place, until the document names them apart.
 */
export type MeetingView = Omit<Schemas['MeetingView'], 'invitations' | 'my_invitation'> & {
  invitations: MeetingInvitation[]
  my_invitation?: MeetingInvitation | null
}

export function meetingOf(view: Schemas['MeetingView']): MeetingView {
  return view as unknown as MeetingView
}

/** The meeting a call answers with. */
export async function meetingFrom<R extends { data?: Schemas['MeetingView']; response: Response }>(call: Promise<R>): Promise<MeetingView> {
  return meetingOf(await unwrap(call))
}
