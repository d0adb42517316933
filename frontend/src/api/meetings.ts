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

/** An invitation to a meeting, its answer and its sign-in. */
export type MeetingInvitation = Schemas['MeetingInvitationView']

/** A meeting with its items, invitations and attendance. */
export type MeetingView = Schemas['MeetingView']
