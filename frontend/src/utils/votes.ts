// The arithmetic and checks behind the vote pages. Everything the law counts is
// compared in integers: areas in hundredths of a square metre, ratios by
// cross-multiplying, percentages in hundredths of a percent (6667 = 66.67 %).
import type { Matter, Threshold, WeightJson } from '@/api/types'
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
