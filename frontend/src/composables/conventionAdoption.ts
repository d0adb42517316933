import { shallowRef, type ShallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { client, unwrap } from '@/api/client'
import { ApiError } from '@/api/http'
import type { AdoptionAction, AdoptionRoute, AdoptionStatus, ConventionAdoption, ConventionView } from '@/api/conventions'
import type { MeetingKind, MeetingSummary } from '@/api/meetings'
import type { CompoundSummary } from '@/api/types'
import { useRegisterFormat } from './conventionRegister'
import { toLocalInput } from '@/utils/votes'
import { reportError } from './report'

type TagType = 'default' | 'primary' | 'success' | 'warning' | 'danger'

export const ADOPTION_TAG: Record<AdoptionStatus, TagType> = {
  pending: 'warning',
  adopted: 'success',
  failed: 'danger',
  withdrawn: 'default',
}

/** The bodies whose recorded decision makes a residents' pledge (倡议). */
export const PLEDGE_BODIES = ['owners_committee', 'three_party', 'residents_council'] as const
type PledgeBody = (typeof PLEDGE_BODIES)[number]

/** The meetings each body deciding a pledge holds: the committee's, the three-party consultation, the residents' council. */
const PLEDGE_MEETINGS: Record<PledgeBody, MeetingKind> = {
  owners_committee: 'committee',
  three_party: 'consultation',
  residents_council: 'residents_council',
}

/**
 * The kind of meeting whose minutes may record a decision by `route`: a residents' meeting, or the
 * meeting of the body that decided a pledge. None for a vote, nor for a pledge whose body is not chosen.
 */
export function minutingKind(route: AdoptionRoute, decidedBy: string | null | undefined): MeetingKind | null {
  if (route === 'residents_meeting') return 'residents_meeting'
  if (route !== 'pledge' || !decidedBy || !(PLEDGE_BODIES as readonly string[]).includes(decidedBy)) return null
  return PLEDGE_MEETINGS[decidedBy as PledgeBody]
}

/**
 * The meetings whose minutes may record the decision: the held ones of `kind`, each once (a meeting of
 * several compounds is in each one's list), the latest first.
 */
export function minutingMeetings(meetings: readonly MeetingSummary[], kind: MeetingKind | null): MeetingSummary[] {
  if (!kind) return []
  const seen = new Set<number>()
  const held = meetings.filter((m) => {
    if (m.kind !== kind || m.status !== 'held' || seen.has(m.id)) return false
    seen.add(m.id)
    return true
  })
  return held.sort((a, b) => Date.parse(b.starts_at) - Date.parse(a.starts_at))
}

/**
 * The last round put: one decision, or the votes drafted together (one per compound of a
 * community-wide convention), newest first as the server lists them.
 */
export function lastRound(adoptions: readonly ConventionAdoption[]): ConventionAdoption[] {
  const first = adoptions[0]
  return first ? adoptions.filter((a) => a.created_at === first.created_at && a.action === first.action) : []
}

/** What may be put now: adopting the current version (unless it is the one in force), repealing the one in force. */
export function puttable(c: Pick<ConventionView, 'version' | 'in_force' | 'phase'>): AdoptionAction[] {
  if (c.phase === 'repealed') return []
  const actions: AdoptionAction[] = []
  if (c.in_force?.version !== c.version) actions.push('adopt')
  if (c.in_force) actions.push('repeal')
  return actions
}

/**
 * When a vote drafted for a convention opens and closes by default, as datetime-local values: once the
 * notice period has passed (15 days unless known), on the next hour, for two weeks.
 */
export function voteWindow(now: number, noticeDays: number | null): { opensAt: string; closesAt: string } {
  const opens = new Date(now + (noticeDays ?? 15) * 86_400_000 + 3_600_000)
  opens.setMinutes(0, 0, 0)
  return { opensAt: toLocalInput(opens), closesAt: toLocalInput(new Date(opens.getTime() + 14 * 86_400_000)) }
}

/**
 * Adoptions in words: those the register and the printed text use (route, who decided, a vote's result,
 * a day), and what was put and what became of it.
 */
export function useAdoptionFormat() {
  const { t } = useI18n()
  return {
    ...useRegisterFormat(),
    action: (action: AdoptionAction) => t(`conventions.adoption.actions.${action}`),
    status: (status: AdoptionStatus) => t(`conventions.adoption.statuses.${status}`),
  }
}

/**
 * The compounds a convention reaches, with their ids (for uploading a scan to the right one) and notice
 * periods: its own, or every compound of its community for a community-wide one. Read once asked for;
 * empty when the caller may not read them (a compound's party on a community-wide convention).
 */
export function useScopeCompounds(convention: () => Pick<ConventionView, 'compound_id' | 'community_id'>): {
  compounds: ShallowRef<CompoundSummary[]>
  load: () => Promise<void>
} {
  const compounds = shallowRef<CompoundSummary[]>([])
  let loaded = ''

  async function load(): Promise<void> {
    const { compound_id: compound, community_id: community } = convention()
    const key = `${compound ?? ''}/${community}`
    if (loaded === key) return
    loaded = key
    try {
      compounds.value =
        compound != null
          ? [(await unwrap(client.GET('/api/v1/compounds/{id}', { params: { path: { id: compound } } }))).compound]
          : (await unwrap(client.GET('/api/v1/communities/{id}', { params: { path: { id: community } } }))).compounds
    } catch (e) {
      loaded = ''
      if (!(e instanceof ApiError && e.status === 403)) reportError(e)
    }
  }

  return { compounds, load }
}

/**
 * The meetings of the compounds a convention reaches, their lists one after another: read afresh each
 * time asked for, the last asking winning. A compound whose meetings the caller may not read adds none.
 */
export function useScopeMeetings(compoundIds: () => readonly number[]): { meetings: ShallowRef<MeetingSummary[]>; load: () => Promise<void> } {
  const meetings = shallowRef<MeetingSummary[]>([])
  let asked = 0

  const listOf = (id: number) =>
    unwrap(client.GET('/api/v1/compounds/{id}/meetings', { params: { path: { id } } })).catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 403) return []
      throw e
    })

  async function load(): Promise<void> {
    const mine = ++asked
    try {
      const lists = await Promise.all(compoundIds().map(listOf))
      if (mine === asked) meetings.value = lists.flat()
    } catch (e) {
      if (mine === asked) reportError(e)
    }
  }

  return { meetings, load }
}
