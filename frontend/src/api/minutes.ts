import type { components } from './schema'

type Schemas = components['schemas']

/** A meeting's minutes, from the draft to publication, with what the caller may do. */
export type MinutesView = Schemas['MinutesView']
export type MinutesStatus = Schemas['MinutesStatus']
export type MinutesCan = Schemas['MinutesCan']
export type MinutesCorrection = Schemas['CorrectionView']
export type CorrectionStatus = Schemas['CorrectionStatus']
export type MinutesSignature = Schemas['SignatureView']
export type SignatureSeat = Schemas['Seat']
export type SignAnswer = Schemas['SignAnswer']
export type SignChoice = Schemas['SignChoice']
export type MinutesVersionSummary = Schemas['VersionSummary']
/** One version in full, with the signatures given on it. */
export type MinutesVersion = Schemas['VersionView']
export type MinutesAddendum = Schemas['AddendumView']
/** Published minutes in a compound's list. */
export type PublishedMinutes = Schemas['PublishedMinutes']
