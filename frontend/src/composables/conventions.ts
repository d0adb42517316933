import { useI18n } from 'vue-i18n'
import { ApiError } from '@/api/http'
import type { ConventionComment, ConventionKind, ConventionPhase, ConventionVersionSummary } from '@/api/conventions'
import type { MembershipView } from '@/api/types'

export const CONVENTION_KINDS: readonly ConventionKind[] = ['covenant', 'rules', 'residents']

type TagType = 'default' | 'primary' | 'success' | 'warning' | 'danger'

export const PHASE_TAG: Record<ConventionPhase, TagType> = {
  drafting: 'default',
  announced: 'warning',
  consulting: 'success',
  consulted: 'primary',
  adopting: 'warning',
  in_force: 'success',
  repealed: 'default',
}

export const OUTCOME_TAG: Record<ConventionComment['status'], TagType> = {
  open: 'warning',
  adopted: 'success',
  partly: 'primary',
  not_adopted: 'default',
}

/**
 * Whether the user holds a party's role in compound `compoundId` (its committee, its property company)
 * or in its community's office: the drafters of a convention. The server refuses the others anyway.
 */
export function draftsIn(memberships: readonly MembershipView[], compoundId: number, communityId: number | null): boolean {
  return memberships.some(
    (m) => m.role !== 'owner' && m.party_id != null && (m.compound_id === compoundId || (m.compound_id == null && communityId !== null && m.community_id === communityId)),
  )
}

/** Whether the server refused because the text moved on since it was read (`convention_changed`). */
export function textMovedOn(e: unknown): boolean {
  return e instanceof ApiError && e.status === 409 && e.code !== 'convention_amendment_stale'
}

/** Whether an answer was refused because the amendment's article changed since it was written. */
export function amendmentStale(e: unknown): boolean {
  return e instanceof ApiError && e.status === 409 && e.code === 'convention_amendment_stale'
}

/** Conventions in words: kinds, phases, outcomes, why a version was saved. */
export function useConventionFormat() {
  const { t } = useI18n()

  /** "drafted", "template", "edited", "adopted #12" … in words; a reason the drafters wrote stays as it is. */
  function reason(v: Pick<ConventionVersionSummary, 'reason'>): string {
    if (['drafted', 'template', 'edited', 'imported'].includes(v.reason)) return t(`conventions.versions.reasons.${v.reason}`)
    const answer = /^(adopted|partly) #(\d+)$/.exec(v.reason)
    if (answer) return t(`conventions.versions.reasons.${answer[1]}`, { id: answer[2] })
    return v.reason
  }

  return {
    reason,
    kind: (kind: ConventionKind) => t(`conventions.kinds.${kind}`),
    phase: (phase: ConventionPhase) => t(`conventions.phases.${phase}`),
    outcome: (status: ConventionComment['status']) => t(`conventions.outcomes.${status}`),
    commentKind: (kind: ConventionComment['kind']) => t(`conventions.commentKinds.${kind}`),
    version: (version: number) => t('conventions.versionLine', { version }),
  }
}
