import { api } from './client'
import type {
  AuditEventView,
  BuildingView,
  ChangePasswordRequest,
  CommunityDetail,
  CommunityView,
  CompoundDetail,
  HolderView,
  HoldingView,
  ImportReport,
  InvitationView,
  Me,
  MembershipView,
  NewBuilding,
  NewCommunity,
  NewCompound,
  NewMembership,
  NewUser,
  PartyView,
  UnitChangeView,
  UnitView,
  UpdateUser,
  UserListItem,
  UserView,
} from './types'

export const getMe = () => api.get<Me>('/me')
export const changePassword = (body: ChangePasswordRequest) => api.postVoid('/me/password', body)

export const listCommunities = () => api.get<CommunityView[]>('/communities')
export const createCommunity = (body: NewCommunity) => api.post<CommunityDetail>('/communities', body)
export const getCommunity = (id: number) => api.get<CommunityDetail>(`/communities/${id}`)
export const createCompound = (communityId: number, body: NewCompound) =>
  api.post<CompoundDetail>(`/communities/${communityId}/compounds`, body)

export const getCompound = (id: number) => api.get<CompoundDetail>(`/compounds/${id}`)
export const createBuilding = (compoundId: number, body: NewBuilding) =>
  api.post<BuildingView>(`/compounds/${compoundId}/buildings`, body)
export const listUnits = (compoundId: number, filter: { building_id?: number | null; q?: string }) =>
  api.get<UnitView[]>(`/compounds/${compoundId}/units`, filter)
export const unitHistory = (unitId: number) => api.get<UnitChangeView[]>(`/units/${unitId}/history`)

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** The Content-Type for a roster file; browsers often leave File.type empty for .csv on Windows. */
export function rosterContentType(file: File): string {
  const name = file.name.toLowerCase()
  if (name.endsWith('.xlsx') || file.type === XLSX_TYPE) return XLSX_TYPE
  if (name.endsWith('.csv') || file.type === 'text/csv') return 'text/csv'
  return 'application/octet-stream'
}

export const importRoster = (compoundId: number, file: File, dryRun: boolean) =>
  api.upload<ImportReport>(`/compounds/${compoundId}/roster`, file, rosterContentType(file), { dry_run: dryRun })

export const listHolders = (compoundId: number, q?: string) =>
  api.get<HolderView[]>(`/compounds/${compoundId}/holders`, { q })
export const linkHolder = (holderId: number, login: string) =>
  api.post<HolderView>(`/holders/${holderId}/links`, { login })
export const unlinkHolder = (holderId: number, userId: number) => api.del(`/holders/${holderId}/links/${userId}`)
export const createInvitation = (holderId: number) => api.post<InvitationView>(`/holders/${holderId}/invitations`)
export const redeemInvitation = (code: string) => api.post<HoldingView>('/invitations/redeem', { code })

export const renameParty = (id: number, name: string) => api.patch<PartyView>(`/parties/${id}`, { name })

export const listUsers = (q?: string) => api.get<UserListItem[]>('/users', { q })
export const createUser = (body: NewUser) => api.post<UserView>('/users', body)
export const updateUser = (id: number, body: UpdateUser) => api.patch<UserView>(`/users/${id}`, body)
export const addMembership = (userId: number, body: NewMembership) =>
  api.post<MembershipView>(`/users/${userId}/memberships`, body)
export const removeMembership = (id: number) => api.del(`/memberships/${id}`)

export const listAudit = (filter: { compound_id?: number | null; limit?: number }) =>
  api.get<AuditEventView[]>('/audit', filter)
