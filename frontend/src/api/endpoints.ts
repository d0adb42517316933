import { api } from './client'
import type {
  AgendaMove,
  AgendaPage,
  AgendaStatus,
  AgendaView,
  CategoryView,
  CommentView,
  ConcernDashboard,
  ConcernPage,
  ConcernStatus,
  ConcernView,
  NewAgenda,
  NewCategory,
  NewConcern,
  PartyKind,
  UpdateCategory,
  AnswerItem,
  AnswerReceipt,
  AuditEventView,
  BallotReceipt,
  BuildingView,
  CastRequest,
  ChangePasswordRequest,
  CommunityDetail,
  CommunityView,
  CompoundDetail,
  DraftSaved,
  FileView,
  HolderView,
  HoldingView,
  ImportReport,
  InboxItem,
  InvitationState,
  InvitationView,
  LanguageRequest,
  Me,
  MembershipView,
  NewBuilding,
  NewCommunity,
  NewCompound,
  NewMembership,
  NewPartyNotice,
  NewProxy,
  NewQuestionnaire,
  NewUnseal,
  NewUser,
  NewVote,
  ObjectionView,
  PaperBallotRequest,
  PaperBallotView,
  PartyView,
  PendingConfirmation,
  PublishedNotice,
  ProxyView,
  PublicBallot,
  QuestionnaireResults,
  QuestionnaireSummary,
  QuestionnaireView,
  RecoveryCodeView,
  Turnout,
  UnitChangeView,
  UnitView,
  UnsealView,
  UpdateUser,
  UserListItem,
  UserView,
  VoteLogEntry,
  VoteSummary,
  VoteView,
} from './types'

export const getMe = () => api.get<Me>('/me')
export const changePassword = (body: ChangePasswordRequest) => api.postVoid('/me/password', body)
/** Saves the language the server writes my notices, timelines and errors in, on every device. */
export const setLanguage = (body: LanguageRequest) => api.putVoid('/me/language', body)

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
/** Asks to link an account to a holder; the link waits for a second person of another party. */
export const linkHolder = (holderId: number, login: string) =>
  api.post<PendingConfirmation>(`/holders/${holderId}/links`, { login })
export const unlinkHolder = (holderId: number, userId: number) => api.del(`/holders/${holderId}/links/${userId}`)
export const createInvitation = (holderId: number) => api.post<InvitationView>(`/holders/${holderId}/invitations`)
export const redeemInvitation = (code: string) => api.post<HoldingView>('/invitations/redeem', { code })

/** Links, invitation codes and proxies of the compound waiting for a second person of another party. */
export const listConfirmations = (compoundId: number) =>
  api.get<PendingConfirmation[]>(`/compounds/${compoundId}/confirmations`)
export const confirmLink = (id: number) => api.post<HolderView>(`/link-requests/${id}/confirm`)
export const cancelLink = (id: number) => api.postVoid(`/link-requests/${id}/cancel`)
export const confirmInvitation = (id: number) => api.post<InvitationState>(`/invitations/${id}/confirm`)

/** A one-time code to reset an account's password, shown once; it works after a second clerk confirms it. */
export const issueRecoveryCode = (userId: number) => api.post<RecoveryCodeView>(`/users/${userId}/recovery-codes`)
export const listRecoveryCodes = (communityId: number) =>
  api.get<RecoveryCodeView[]>(`/communities/${communityId}/recovery-codes`)
export const confirmRecoveryCode = (id: number) => api.post<RecoveryCodeView>(`/recovery-codes/${id}/confirm`)

export const renameParty = (id: number, name: string) => api.patch<PartyView>(`/parties/${id}`, { name })

export const listUsers = (q?: string) => api.get<UserListItem[]>('/users', { q })
export const createUser = (body: NewUser) => api.post<UserView>('/users', body)
export const updateUser = (id: number, body: UpdateUser) => api.patch<UserView>(`/users/${id}`, body)
export const addMembership = (userId: number, body: NewMembership) =>
  api.post<MembershipView>(`/users/${userId}/memberships`, body)
export const removeMembership = (id: number) => api.del(`/memberships/${id}`)

export const listAudit = (filter: { compound_id?: number | null; limit?: number }) =>
  api.get<AuditEventView[]>('/audit', filter)

export const listInbox = () => api.get<InboxItem[]>('/me/inbox')
export const markInboxRead = (id: number) => api.postVoid(`/me/inbox/${id}/read`)

export const listVotes = (compoundId: number) => api.get<VoteSummary[]>(`/compounds/${compoundId}/votes`)
export const createVote = (compoundId: number, body: NewVote) => api.post<VoteView>(`/compounds/${compoundId}/votes`, body)
export const getVote = (id: number) => api.get<VoteView>(`/votes/${id}`)
export const updateVote = (id: number, body: NewVote) => api.patch<VoteView>(`/votes/${id}`, body)
export const publishVote = (id: number) => api.post<VoteView>(`/votes/${id}/publish`)
export const extendVote = (id: number, closesAt: string, reason: string) =>
  api.post<VoteView>(`/votes/${id}/extend`, { closes_at: closesAt, reason })
export const cancelVote = (id: number, reason: string) => api.post<VoteView>(`/votes/${id}/cancel`, { reason })
export const castBallot = (id: number, body: CastRequest) => api.post<BallotReceipt>(`/votes/${id}/ballots`, body)
export const getTurnout = (id: number) => api.get<Turnout>(`/votes/${id}/turnout`)
export const listPublicBallots = (id: number) => api.get<PublicBallot[]>(`/votes/${id}/ballots`)
export const getVoteLog = (id: number) => api.get<VoteLogEntry[]>(`/votes/${id}/log`)

export const listPaperBallots = (id: number) => api.get<PaperBallotView[]>(`/votes/${id}/paper-ballots`)
export const enterPaperBallot = (id: number, body: PaperBallotRequest) =>
  api.post<PaperBallotView>(`/votes/${id}/paper-ballots`, body)
export const confirmPaperBallot = (id: number, ballotId: number) =>
  api.post<PaperBallotView>(`/votes/${id}/paper-ballots/${ballotId}/confirm`)

export type VoteExport = 'roster' | 'ballots'
/** A closed vote's frozen roster or counted ballots, in the CSV format `sanfang tally` reads. */
export const downloadVoteExport = (id: number, kind: VoteExport) => api.blob(`/votes/${id}/export/${kind}.csv`)

export const listProxies = (compoundId: number) => api.get<ProxyView[]>(`/compounds/${compoundId}/proxies`)
export const createProxy = (compoundId: number, body: NewProxy) => api.post<ProxyView>(`/compounds/${compoundId}/proxies`, body)
export const revokeProxy = (id: number) => api.post<ProxyView>(`/proxies/${id}/revoke`)
export const confirmProxy = (id: number) => api.post<ProxyView>(`/proxies/${id}/confirm`)

export const listObjections = (voteId: number) => api.get<ObjectionView[]>(`/votes/${voteId}/objections`)
export const createObjection = (voteId: number, text: string) => api.post<ObjectionView>(`/votes/${voteId}/objections`, { text })

/** Uploads a JPEG, PNG or PDF for the compound: a vote's attachment, or the scan of a signed slip or proxy. */
export const uploadFile = (compoundId: number, file: File) =>
  api.upload<FileView>(`/compounds/${compoundId}/files`, file, file.type || 'application/octet-stream', { name: file.name })
export const downloadFile = (id: number) => api.blob(`/files/${id}`)
/** The requests to open the sealed scan of a secret vote's signed slip, newest first. */
export const listUnsealRequests = (fileId: number) => api.get<UnsealView[]>(`/files/${fileId}/unseal-requests`)
/** Asks to open a sealed scan, giving the reason; a person of the other party must approve. */
export const requestUnseal = (fileId: number, body: NewUnseal) =>
  api.post<UnsealView>(`/files/${fileId}/unseal-requests`, body)
/** Approves a request to open a sealed scan: then its requester and its approver may open it for seven days. */
export const approveUnseal = (fileId: number, requestId: number) =>
  api.post<UnsealView>(`/files/${fileId}/unseal-requests/${requestId}/approve`)

export const listCategories = (communityId: number) =>
  api.get<CategoryView[]>(`/communities/${communityId}/concern-categories`)
export const createCategory = (communityId: number, body: NewCategory) =>
  api.post<CategoryView>(`/communities/${communityId}/concern-categories`, body)
export const updateCategory = (communityId: number, id: number, body: UpdateCategory) =>
  api.patch<CategoryView>(`/communities/${communityId}/concern-categories/${id}`, body)
export const getConcernDashboard = (communityId: number, compoundId?: number | null) =>
  api.get<ConcernDashboard>(`/communities/${communityId}/concern-dashboard`, { compound_id: compoundId ?? undefined })

export interface ConcernFilter {
  status?: ConcernStatus | null
  category_id?: number | null
  party_kind?: PartyKind | null
  overdue?: boolean | null
  mine?: boolean | null
  page?: number
  per_page?: number
}
export const listConcerns = (compoundId: number, filter: ConcernFilter = {}) =>
  api.get<ConcernPage>(`/compounds/${compoundId}/concerns`, { ...filter })
export const raiseConcern = (compoundId: number, body: NewConcern) =>
  api.post<ConcernView>(`/compounds/${compoundId}/concerns`, body)
export const getConcern = (id: number) => api.get<ConcernView>(`/concerns/${id}`)
export type ConcernAction = 'route' | 'acknowledge' | 'replies' | 'resolve' | 'confirm' | 'reopen' | 'rating' | 'escalations'
export const concernStep = (id: number, action: ConcernAction, body: Record<string, unknown> = {}) =>
  api.post<ConcernView>(`/concerns/${id}/${action}`, body)
export const recordDepartmentResponse = (id: number, escalationId: number, response: string) =>
  api.post<ConcernView>(`/concerns/${id}/escalations/${escalationId}/response`, { response })
/** Adds a photo to my concern (its location metadata is removed by the server). */
export const uploadConcernPhoto = (id: number, file: File) =>
  api.upload<FileView>(`/concerns/${id}/photos`, file, file.type || 'application/octet-stream', { name: file.name })
export const concernPhoto = (id: number, fileId: number) => api.blob(`/concerns/${id}/photos/${fileId}`)
export const concernToAgenda = (id: number) => api.post<AgendaView>(`/concerns/${id}/agenda`, {})

export interface AgendaFilter {
  status?: AgendaStatus | null
  category_id?: number | null
  party_kind?: PartyKind | null
  q?: string
  page?: number
  per_page?: number
}
export const listAgendas = (compoundId: number, filter: AgendaFilter = {}) =>
  api.get<AgendaPage>(`/compounds/${compoundId}/agendas`, { ...filter })
export const openAgenda = (compoundId: number, body: NewAgenda) => api.post<AgendaView>(`/compounds/${compoundId}/agendas`, body)
export const openCommunityAgenda = (communityId: number, body: NewAgenda) =>
  api.post<AgendaView>(`/communities/${communityId}/agendas`, body)
export const getAgenda = (id: number) => api.get<AgendaView>(`/agendas/${id}`)
export const cosignAgenda = (id: number) => api.post<AgendaView>(`/agendas/${id}/cosign`)
export const moveAgenda = (id: number, move: AgendaMove, body: Record<string, unknown> = {}) =>
  api.post<AgendaView>(`/agendas/${id}/${move}`, body)
export const listComments = (id: number) => api.get<CommentView[]>(`/agendas/${id}/comments`)
export const addComment = (id: number, body: string, parentId?: number | null) =>
  api.post<CommentView>(`/agendas/${id}/comments`, { body, parent_id: parentId ?? undefined })
export const hideComment = (id: number, commentId: number, reason: string) =>
  api.postVoid(`/agendas/${id}/comments/${commentId}/hide`, { reason })
export const listQuestionnaires = (compoundId: number) =>
  api.get<QuestionnaireSummary[]>(`/compounds/${compoundId}/questionnaires`)
export const createQuestionnaire = (compoundId: number, body: NewQuestionnaire) =>
  api.post<QuestionnaireView>(`/compounds/${compoundId}/questionnaires`, body)
export const getQuestionnaire = (id: number) => api.get<QuestionnaireView>(`/questionnaires/${id}`)
export const updateQuestionnaire = (id: number, body: NewQuestionnaire) =>
  api.patch<QuestionnaireView>(`/questionnaires/${id}`, body)
export const publishQuestionnaire = (id: number) => api.post<QuestionnaireView>(`/questionnaires/${id}/publish`)
export const closeQuestionnaire = (id: number) => api.post<QuestionnaireView>(`/questionnaires/${id}/close`)
export const submitAnswers = (id: number, answers: AnswerItem[], holderId: number | null) =>
  api.post<AnswerReceipt>(`/questionnaires/${id}/answers`, { answers, holder_id: holderId })
export const editAnswers = (id: number, answers: AnswerItem[]) =>
  api.put<AnswerReceipt>(`/questionnaires/${id}/answers/mine`, { answers, holder_id: null })
export const saveAnswerDraft = (id: number, answers: AnswerItem[]) =>
  api.put<DraftSaved>(`/questionnaires/${id}/draft`, { answers })
export const getQuestionnaireResults = (id: number) => api.get<QuestionnaireResults>(`/questionnaires/${id}/results`)
export type QuestionnaireExport = 'csv' | 'xlsx'
/** The results as a spreadsheet, for the three parties. */
export const downloadQuestionnaireExport = (id: number, kind: QuestionnaireExport) =>
  api.blob(`/questionnaires/${id}/export.${kind}`)

export const listPublishedNotices = (compoundId: number) => api.get<PublishedNotice[]>(`/compounds/${compoundId}/notices`)
export const publishNotice = (compoundId: number, body: NewPartyNotice) =>
  api.post<PublishedNotice>(`/compounds/${compoundId}/notices`, body)
