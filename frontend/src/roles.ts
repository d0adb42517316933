import type { MembershipView, Role } from '@/api/types'

export const COMMUNITY_ROLES = ['secretary', 'community_staff'] as const satisfies readonly Role[]
export const PROPERTY_ROLES = ['property_manager', 'property_staff'] as const satisfies readonly Role[]
export const COMMITTEE_ROLES = ['committee_chair', 'committee_member'] as const satisfies readonly Role[]
export const COMPOUND_ROLES = [...PROPERTY_ROLES, ...COMMITTEE_ROLES] as const satisfies readonly Role[]

/** Everyone who works on a compound's roster data (units, holders). */
export const STAFF_ROLES: readonly Role[] = ['admin', ...COMMUNITY_ROLES, ...COMPOUND_ROLES]
/** Who may import the roster, link owners and print invitations: the community and the committee. */
export const ROSTER_ROLES: readonly Role[] = ['admin', ...COMMUNITY_ROLES, ...COMMITTEE_ROLES]
export const AUDIT_ROLES: readonly Role[] = ['admin', 'secretary']
/** Roles an administrator can grant; owners are made by linking them to a holder. */
export const GRANTABLE_ROLES: readonly Role[] = ['admin', ...COMMUNITY_ROLES, ...COMPOUND_ROLES]

export type RoleScope = 'global' | 'community' | 'compound' | 'holder'

export function roleScope(role: Role): RoleScope {
  if (role === 'admin') return 'global'
  if (role === 'owner') return 'holder'
  return (COMMUNITY_ROLES as readonly Role[]).includes(role) ? 'community' : 'compound'
}

export interface Scope {
  compoundId?: number
  communityId?: number
}

/**
 * Whether a membership grants one of `roles` within `scope`. A community-wide
 * membership covers a compound when the compound's community is unknown (the
 * server has the final word) or matches.
 */
export function membershipGrants(m: MembershipView, roles: readonly Role[], scope?: Scope): boolean {
  if (!roles.includes(m.role)) return false
  if (m.role === 'admin' || !scope) return true
  if (scope.compoundId !== undefined) {
    if (m.compound_id !== null && m.compound_id !== undefined) return m.compound_id === scope.compoundId
    return scope.communityId === undefined || m.community_id === scope.communityId
  }
  if (scope.communityId !== undefined) {
    return (m.compound_id === null || m.compound_id === undefined) && m.community_id === scope.communityId
  }
  return true
}

/** Who drafts, publishes, extends and cancels votes: the committee convenes, the secretary for three-party matters. */
export const VOTE_MANAGE_ROLES: readonly Role[] = ['admin', 'secretary', ...COMMITTEE_ROLES]
/** Who may watch the live turnout of an open vote. */
export const TURNOUT_ROLES: readonly Role[] = ['admin', ...COMMUNITY_ROLES, ...COMMITTEE_ROLES]
/** Who enters and confirms paper ballots and keeps the proxy registry; never the property company. */
export const COUNT_ROLES: readonly Role[] = [...COMMUNITY_ROLES, ...COMMITTEE_ROLES]

/** Who routes concerns to the party on duty and whistles in outside departments: the community office. */
export const CONCERN_ROUTE_ROLES: readonly Role[] = [...COMMUNITY_ROLES]
/** Who sees every concern of a compound (owners see their own). */
export const CONCERN_VIEW_ROLES: readonly Role[] = ['admin', ...COMMUNITY_ROLES, ...COMPOUND_ROLES]
/** Who opens agendas: the three parties. */
export const AGENDA_OPEN_ROLES: readonly Role[] = [...COMMUNITY_ROLES, ...COMPOUND_ROLES]
/** The secretary's dashboard of concerns. */
export const DASHBOARD_ROLES: readonly Role[] = ['admin', ...COMMUNITY_ROLES]
/** Who edits a community's concern categories. */
export const CATEGORY_ROLES: readonly Role[] = ['admin', 'secretary']
/** Who builds, publishes and closes questionnaires: the committee, the secretary, the property company. */
export const QUESTIONNAIRE_MANAGE_ROLES: readonly Role[] = ['admin', 'secretary', ...PROPERTY_ROLES, ...COMMITTEE_ROLES]
/** The three parties: they see every questionnaire's results and the notices published in a compound. */
export const PARTY_ROLES: readonly Role[] = ['admin', ...COMMUNITY_ROLES, ...COMPOUND_ROLES]
/** Who publishes notices, each for their own party. */
export const NOTICE_ROLES: readonly Role[] = [...COMMUNITY_ROLES, ...COMPOUND_ROLES]
