// The vote form: what the page edits, the checks the server will make, and the request it sends.
import type { Matter, NewVote, VoteForm } from '@/api/types'
import { fromLocalInput, toLocalInput } from './votes'

/** The vote form as the page edits it. */
export interface VoteDraft {
  title: string
  body: string
  matter: Matter | null
  form: VoteForm
  candidates: string[]
  seats: number | null
  secret: boolean
  allowChange: boolean
  allBuildings: boolean
  buildingIds: number[]
  /** datetime-local values. */
  opensAt: string
  closesAt: string
}

export type DraftField = 'title' | 'body' | 'matter' | 'candidates' | 'seats' | 'building_ids' | 'opens_at' | 'closes_at'

/** A message for the page to translate. */
export interface Problem {
  key: string
  params?: Record<string, string | number>
  /** The count that picks the message's plural form (0, 1 or many). */
  plural?: number
}

export const TITLE_MAX = 200
export const BODY_MAX = 20_000
export const CANDIDATE_MAX = 50
export const CANDIDATES_MAX = 50
/** The server allows a minute's grace on the notice period. */
const GRACE_MS = 60_000

/**
 * Checks a draft the way the server will, and the notice period when it is
 * known, so that a draft that could never be published is caught while typing.
 */
export function validateDraft(
  d: VoteDraft,
  ctx: { now: number; noticeDays: number | null },
): Partial<Record<DraftField, Problem>> {
  const errors: Partial<Record<DraftField, Problem>> = {}
  const title = d.title.trim()
  if (!title) errors.title = { key: 'votes.form.errors.titleRequired' }
  else if (title.length > TITLE_MAX) errors.title = { key: 'votes.form.errors.tooLong', params: { max: TITLE_MAX } }
  if (!d.body.trim()) errors.body = { key: 'votes.form.errors.bodyRequired' }
  else if (d.body.length > BODY_MAX) errors.body = { key: 'votes.form.errors.tooLong', params: { max: BODY_MAX } }
  if (d.matter === null) errors.matter = { key: 'votes.form.errors.matterRequired' }
  if (d.form === 'election') {
    if (d.matter !== null && d.matter !== 'committee') errors.matter = { key: 'votes.form.errors.electionMatter' }
    const names = d.candidates.map((c) => c.trim())
    if (names.length === 0 || names.some((n) => !n)) errors.candidates = { key: 'votes.form.errors.candidateEmpty' }
    else if (names.length > CANDIDATES_MAX) errors.candidates = { key: 'votes.form.errors.tooMany', params: { max: CANDIDATES_MAX } }
    else if (names.some((n) => n.length > CANDIDATE_MAX)) errors.candidates = { key: 'votes.form.errors.tooLong', params: { max: CANDIDATE_MAX } }
    else if (new Set(names).size !== names.length) errors.candidates = { key: 'votes.form.errors.candidateTwice' }
    const seats = d.seats
    if (seats === null || !Number.isInteger(seats) || seats < 1 || seats > Math.max(names.length, 1)) {
      errors.seats = { key: 'votes.form.errors.seats', params: { max: Math.max(names.length, 1) } }
    }
  }
  if (!d.allBuildings && d.buildingIds.length === 0) errors.building_ids = { key: 'votes.form.errors.buildingsRequired' }
  const opens = fromLocalInput(d.opensAt)
  const closes = fromLocalInput(d.closesAt)
  if (!opens) errors.opens_at = { key: 'votes.form.errors.timeRequired' }
  if (!closes) errors.closes_at = { key: 'votes.form.errors.timeRequired' }
  if (opens && ctx.noticeDays !== null && opens.getTime() + GRACE_MS < ctx.now + ctx.noticeDays * 86_400_000) {
    errors.opens_at = { key: 'votes.form.errors.notice', params: { days: ctx.noticeDays }, plural: ctx.noticeDays }
  }
  if (opens && closes && closes.getTime() <= opens.getTime()) errors.closes_at = { key: 'votes.form.errors.closesBeforeOpens' }
  else if (closes && closes.getTime() <= ctx.now) errors.closes_at = { key: 'votes.form.errors.closesPast' }
  return errors
}

/** The request body for a checked draft. */
export function toNewVote(d: VoteDraft): NewVote {
  const opens = fromLocalInput(d.opensAt)
  const closes = fromLocalInput(d.closesAt)
  if (!opens || !closes || d.matter === null) throw new RangeError('the draft has not been validated')
  const election = d.form === 'election'
  return {
    title: d.title.trim(),
    body: d.body,
    matter: d.matter,
    form: d.form,
    candidates: election ? d.candidates.map((c) => c.trim()) : [],
    seats: election ? d.seats : null,
    secret: d.secret,
    allow_change: d.allowChange,
    building_ids: d.allBuildings ? null : [...d.buildingIds].sort((a, b) => a - b),
    opens_at: opens.toISOString(),
    closes_at: closes.toISOString(),
  }
}

/** A fresh form: opening after the notice period (15 days unless known), for two weeks. */
export function emptyDraft(now: number, noticeDays: number | null): VoteDraft {
  const opens = new Date(now + (noticeDays ?? 15) * 86_400_000 + 10 * 60_000)
  opens.setSeconds(0, 0)
  opens.setMinutes(Math.ceil(opens.getMinutes() / 5) * 5)
  const closes = new Date(opens.getTime() + 14 * 86_400_000)
  return {
    title: '',
    body: '',
    matter: null,
    form: 'motion',
    candidates: ['', ''],
    seats: 1,
    secret: false,
    allowChange: false,
    allBuildings: true,
    buildingIds: [],
    opensAt: toLocalInput(opens),
    closesAt: toLocalInput(closes),
  }
}
