import type { components, operations } from './schema'

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

/** An invitation to a meeting, its answer and its sign-in. */
export type MeetingInvitation = Schemas['MeetingInvitationView']

/** A meeting with its items, invitations and attendance. */
export type MeetingView = Schemas['MeetingView']

// The live meeting, its action items and the calendar feed.
export type MeetingItemView = Schemas['ItemView']
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
