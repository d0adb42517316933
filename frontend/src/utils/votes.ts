// The arithmetic and checks behind the vote pages. Everything the law counts is
// compared in integers: areas in hundredths of a square metre, ratios by
// cross-multiplying, percentages in hundredths of a percent (6667 = 66.67 %).
import type { Matter, NewVote, Threshold, VoteForm, WeightJson } from '@/api/types'
import { areaToHundredths } from './area'

/** The nine matters of Civil Code Art. 278 ¶1, in the order of the article. */
export const MATTERS: readonly Matter[] = [
  'rules',
  'covenant',
  'committee',
  'manager',
  'fund_use',
  'fund_raise',
  'rebuild',
  'common_use',
  'other',
]

/** Items 6–8 of Art. 278 ¶1 need three quarters; the rest more than half. */
export function thresholdOf(matter: Matter): Threshold {
  return matter === 'fund_raise' || matter === 'rebuild' || matter === 'common_use' ? 'special' : 'ordinary'
}

/** The i18n key of the rule in plain words. */
export function ruleKey(threshold: Threshold): string {
  return threshold === 'special' ? 'votes.rule.special' : 'votes.rule.ordinary'
}

/** `part / whole` in hundredths of a percent, rounded down; 0 when there is no whole. */
export function ratioHundredths(part: number | bigint, whole: number | bigint): number {
  const p = BigInt(part)
  const w = BigInt(whole)
  if (w <= 0n) return 0
  return Number((p * 10000n) / w)
}

/** An area's share of another, both as the API writes them ("89.50"), in hundredths of a percent. */
export function areaPercent(part: string, whole: string): number {
  return ratioHundredths(areaToHundredths(part), areaToHundredths(whole))
}

/** 6667 → "66.67%". */
export function formatPercent(hundredths: number): string {
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}%`
}

/** `part` is at least `num/den` of `whole` ("以上" includes the figure). */
export function atLeast(part: number | bigint, whole: number | bigint, num: number, den: number): boolean {
  return BigInt(part) * BigInt(den) >= BigInt(whole) * BigInt(num)
}

/** `part` is more than `num/den` of `whole` ("过半数" does not include it). */
export function moreThan(part: number | bigint, whole: number | bigint, num: number, den: number): boolean {
  return BigInt(part) * BigInt(den) > BigInt(whole) * BigInt(num)
}

/** One weight against another, by area and by heads, with the line it must reach. */
export interface Share {
  areaPct: number
  headsPct: number
  /** Where the line is, in hundredths of a percent (for drawing only). */
  linePct: number
  areaReached: boolean
  headsReached: boolean
}

/** Turnout against the quorum: at least two thirds of the area and of the heads. */
export function turnoutShare(participating: WeightJson, total: WeightJson): Share {
  const part = areaToHundredths(participating.area)
  const whole = areaToHundredths(total.area)
  return {
    areaPct: ratioHundredths(part, whole),
    headsPct: ratioHundredths(participating.headcount, total.headcount),
    linePct: 6667,
    areaReached: whole > 0 && atLeast(part, whole, 2, 3),
    headsReached: total.headcount > 0 && atLeast(participating.headcount, total.headcount, 2, 3),
  }
}

/** Agreement among the participants against the threshold: more than half, or at least three quarters. */
export function agreeShare(agree: WeightJson, participating: WeightJson, threshold: Threshold): Share {
  const part = areaToHundredths(agree.area)
  const whole = areaToHundredths(participating.area)
  const reached =
    threshold === 'special'
      ? (p: number, w: number) => w > 0 && atLeast(p, w, 3, 4)
      : (p: number, w: number) => w > 0 && moreThan(p, w, 1, 2)
  return {
    areaPct: ratioHundredths(part, whole),
    headsPct: ratioHundredths(agree.headcount, participating.headcount),
    linePct: threshold === 'special' ? 7500 : 5000,
    areaReached: reached(part, whole),
    headsReached: reached(agree.headcount, participating.headcount),
  }
}

export interface TimeLeft {
  past: boolean
  days: number
  hours: number
  minutes: number
}

/** How long until `until` (an ISO instant), in whole minutes. */
export function timeLeft(until: string, now: number): TimeLeft {
  const ms = new Date(until).getTime() - now
  if (!Number.isFinite(ms) || ms <= 0) return { past: true, days: 0, hours: 0, minutes: 0 }
  const minutes = Math.floor(ms / 60_000)
  return { past: false, days: Math.floor(minutes / 1440), hours: Math.floor((minutes % 1440) / 60), minutes: minutes % 60 }
}

/** Receipts look like "K7QMA-4XPBZ"; people type them in any case, with or without the dash. */
export function normalizeReceipt(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9]/g, '')
}

function compact(text: string): string {
  return text.replace(/\s+/g, '').toLowerCase()
}

/**
 * Whether a line of the public ballot list matches what someone typed: their
 * receipt code (four characters or more of it) or one of the room numbers.
 */
export function ballotMatches(ballot: { receipt: string; units: readonly string[] }, query: string): boolean {
  const q = query.trim()
  if (!q) return false
  const code = normalizeReceipt(q)
  if (code.length >= 4 && normalizeReceipt(ballot.receipt).includes(code)) return true
  const room = compact(q)
  return room.length > 0 && ballot.units.some((u) => compact(u).includes(room))
}

/** Indexes of the matching lines, in list order. */
export function matchingBallots(ballots: readonly { receipt: string; units: readonly string[] }[], query: string): number[] {
  const found: number[] = []
  ballots.forEach((b, i) => {
    if (ballotMatches(b, query)) found.push(i)
  })
  return found
}

/** A Date as the value of an <input type="datetime-local">, in the browser's time zone. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

/** The instant a datetime-local value names, or null when it is empty or malformed. */
export function fromLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? null : date
}

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

/** Only links inside the app are followed from a notice; anything else is ignored. */
export function internalLink(link: string | null | undefined): string | null {
  if (!link || !link.startsWith('/') || link.startsWith('//') || link.includes('\\')) return null
  return link
}

/** A holder found through one of their units, for paper ballots and proxies. */
export interface PickedHolder {
  holderId: number
  holderKey: string
  name: string | null
  /** The unit it was found by, e.g. "5号楼 2单元301". */
  unit: string
}

/** A compound whose votes the home page lists. */
export interface CompoundRef {
  id: number
  name: string
  communityId: number | null
}

/** 2048 → "2 KB"; files here are at most 10 MiB. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(Math.round((bytes / 1024 / 1024) * 10) / 10).toFixed(1)} MB`
  return `${Math.max(1, Math.round(bytes / 1024))} KB`
}
