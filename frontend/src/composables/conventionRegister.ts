import { useI18n } from 'vue-i18n'
import { useFormat } from './format'
import type { components } from '@/api/schema'

type Schemas = components['schemas']

/** A convention in force or repealed, with every adoption and repeal decided. */
export type RegisterEntry = Schemas['RegisterEntry']
/** An adoption or repeal put (by a vote, a residents' meeting or a pledge) and what became of it. */
export type Adoption = Schemas['AdoptionView']
/** The version in force and since when. */
export type InForce = Schemas['InForceView']
export type AdoptionRoute = Schemas['AdoptionRoute']

/** The bodies a pledge or a residents' meeting is decided by, as the server names them. */
const BODIES = ['owners_committee', 'three_party', 'residents_council', 'residents_meeting'] as const

/**
 * The adoptions that put the version in force into force: one, or one per compound where a
 * community-wide convention was voted on compound by compound.
 */
export function inForceAdoptions(inForce: InForce | null | undefined, adoptions: readonly Adoption[]): Adoption[] {
  if (!inForce) return []
  return adoptions.filter((a) => a.action === 'adopt' && a.status === 'adopted' && a.version === inForce.version)
}

/** The repeal that took effect, if any. */
export function repeal(adoptions: readonly Adoption[]): Adoption | undefined {
  return adoptions.find((a) => a.action === 'repeal' && a.status === 'adopted')
}

/** Today in the reader's time zone, as the server writes a date: 2027-06-01. */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/** Whether the review day has come (or gone). */
export function reviewDue(reviewOn: string | null | undefined, on: string = today()): boolean {
  return Boolean(reviewOn && reviewOn <= on)
}

/** Where the QR code of a printed convention leads: the convention's page, at its acknowledgement. */
export function acknowledgeUrl(id: number, origin: string = window.location.origin): string {
  return `${origin}/conventions/${id}#acknowledge`
}

/** When an adoption was decided: the day of the decision, else the vote's close, else when it was put. */
export function decidedOn(a: Adoption): string {
  return a.decided_on ?? a.settled_at ?? a.created_at
}

/** How conventions were adopted, in words, for the register and the printed text: the route, who decided, a vote's result, an outcome, a day. */
export function useRegisterFormat() {
  const { t } = useI18n()
  const fmt = useFormat()

  /** A day in words: a date (2026-11-10) as that day where the reader is, a moment as its day there. */
  const day = (value: string | null | undefined) => fmt.date(value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00` : value)

  /** 业主大会表决, 居民会议, or 倡议 for a pledge. */
  const route = (r: AdoptionRoute) => t(`conventions.register.routes.${r}`)

  /** The body that decided a pledge or held a residents' meeting; an unknown one as the server wrote it. */
  function body(by: string | null | undefined): string {
    if (!by) return '—'
    return (BODIES as readonly string[]).includes(by) ? t(`conventions.register.bodies.${by}`) : by
  }

  /** A vote's result: passed, not passed, or not passed for want of a quorum. */
  function result(a: Adoption): string {
    if (!a.result) return ''
    if (a.result.passed) return t('conventions.register.results.passed')
    return t(a.result.quorum_met ? 'conventions.register.results.failed' : 'conventions.register.results.noQuorum')
  }

  /** "第 2 版通过", "第 1 版未获通过", "废止" … */
  const outcome = (a: Adoption) => t(`conventions.register.outcomes.${a.action}.${a.status}`, { version: a.version })

  return { day, route, body, result, outcome }
}
