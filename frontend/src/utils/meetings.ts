// What the meeting pages work out for themselves: the calendar's months, the form's draft and its
// checks, and the invitations grouped by who they speak for. Who may do what is the server's say.
import type {
  ItemSource,
  MeetingAnswer,
  MeetingInvitation,
  MeetingKind,
  MeetingStatus,
  MeetingSummary,
  NewMeeting,
  Person,
} from '@/api/meetings'
import type { FileView, MembershipView, PartyKind, Role } from '@/api/types'
import { fromLocalInput, toLocalInput } from './votes'

export const MEETING_KINDS: readonly MeetingKind[] = [
  'consultation',
  'committee',
  'assembly_sitting',
  'residents_council',
  'residents_meeting',
  'mediation',
]

/** What a kind of meeting asks of the form. */
export interface KindRules {
  /** The roles the server lets convene it (in the community's office, or in the compound). */
  convenedBy: readonly Role[]
  /** Several compounds may take part. */
  severalCompounds: boolean
  /** The people the convener names: residents besides the parties, or the sides (at least two). */
  names: 'residents' | 'sides' | null
  /** Days between announcing and holding it. */
  noticeDays: number
}

/**
 * The kinds' rules as the server's table states them (src/meetings/kinds.rs), to explain a kind
 * and to fill the form sensibly; the server decides.
 */
export const KIND_RULES: Record<MeetingKind, KindRules> = {
  consultation: { convenedBy: ['secretary', 'community_staff'], severalCompounds: true, names: null, noticeDays: 0 },
  committee: { convenedBy: ['committee_chair'], severalCompounds: false, names: null, noticeDays: 7 },
  assembly_sitting: { convenedBy: ['committee_chair', 'committee_member'], severalCompounds: false, names: null, noticeDays: 0 },
  residents_council: { convenedBy: ['secretary', 'community_staff'], severalCompounds: true, names: 'residents', noticeDays: 0 },
  residents_meeting: { convenedBy: ['secretary', 'community_staff'], severalCompounds: true, names: null, noticeDays: 0 },
  mediation: { convenedBy: ['secretary', 'community_staff'], severalCompounds: false, names: 'sides', noticeDays: 0 },
}

/** Whether membership `m` is one the kind's table names as a convener, where `m` reaches compound `compoundId`. */
function convenes(m: MembershipView, kind: MeetingKind, compoundId: number, communityId: number): boolean {
  if (!KIND_RULES[kind].convenedBy.includes(m.role)) return false
  return m.compound_id == null ? m.community_id === communityId : m.compound_id === compoundId
}

/** The kinds this user's roles convene for compound `compoundId` of community `communityId`. */
export function convenableKinds(memberships: readonly MembershipView[], compoundId: number, communityId: number): MeetingKind[] {
  return MEETING_KINDS.filter((kind) => memberships.some((m) => convenes(m, kind, compoundId, communityId)))
}

type TagType = 'default' | 'primary' | 'success' | 'warning' | 'danger'

export const STATUS_TAG: Record<MeetingStatus, TagType> = {
  scheduled: 'primary',
  in_progress: 'success',
  held: 'default',
  cancelled: 'danger',
}

export const ANSWER_TAG: Record<MeetingAnswer, TagType> = {
  pending: 'warning',
  attending: 'success',
  absent: 'default',
  deputy: 'primary',
}

/** When a meeting is planned to end, in milliseconds. */
export function endsAt(m: Pick<MeetingSummary, 'starts_at' | 'duration_minutes'>): number {
  return new Date(m.starts_at).getTime() + m.duration_minutes * 60_000
}

/** Still ahead (or going on): under way, or planned to end later than `now` and not yet held. */
export function isUpcoming(m: Pick<MeetingSummary, 'starts_at' | 'duration_minutes' | 'status'>, now: number): boolean {
  if (m.status === 'in_progress') return true
  return m.status !== 'held' && endsAt(m) > now
}

/** The meetings of one month, by local time. */
export interface MonthGroup<T> {
  /** `2026-05` */
  key: string
  /** The first day of the month, to name it. */
  month: Date
  meetings: T[]
}

function byMonth<T extends Pick<MeetingSummary, 'starts_at'>>(list: T[]): MonthGroup<T>[] {
  const groups: MonthGroup<T>[] = []
  for (const m of list) {
    const d = new Date(m.starts_at)
    const key = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`
    let group = groups.find((g) => g.key === key)
    if (!group) {
      group = { key, month: new Date(d.getFullYear(), d.getMonth(), 1), meetings: [] }
      groups.push(group)
    }
    group.meetings.push(m)
  }
  return groups
}

/** The calendar: what is ahead, soonest first, then what is past, latest first, each by month. */
export function calendar<T extends Pick<MeetingSummary, 'starts_at' | 'duration_minutes' | 'status'>>(
  list: readonly T[],
  now: number,
): { upcoming: MonthGroup<T>[]; past: MonthGroup<T>[] } {
  const time = (m: T) => new Date(m.starts_at).getTime()
  const upcoming = list.filter((m) => isUpcoming(m, now)).sort((a, b) => time(a) - time(b))
  const past = list.filter((m) => !isUpcoming(m, now)).sort((a, b) => time(b) - time(a))
  return { upcoming: byMonth(upcoming), past: byMonth(past) }
}

/** An invitation still to answer, ahead: what the home page points an owner to. */
export function awaitsMe(m: MeetingSummary, now: number): boolean {
  return m.my_answer != null && m.status === 'scheduled' && new Date(m.starts_at).getTime() > now
}

/** 90 → { hours: 1, minutes: 30 }. */
export function durationParts(total: number): { hours: number; minutes: number } {
  return { hours: Math.floor(total / 60), minutes: total % 60 }
}

/** The durations offered, in minutes (the server takes 15 to 480). */
export const DURATIONS: readonly number[] = [30, 45, 60, 90, 120, 150, 180, 240, 300, 360, 480]
export const TITLE_MAX = 200
export const ITEMS_MAX = 30

/** One item as the form edits it. */
export interface ItemDraft {
  /** A stable key for the list while items move about. */
  key: number
  title: string
  /** The time box in minutes, as typed. */
  minutes: string
  presenter: Person | null
  /** What it is drawn from, as `agenda:3`; empty for a free item. */
  source: string
}

/** The meeting as the form edits it. */
export interface MeetingDraft {
  kind: MeetingKind
  title: string
  description: string
  compoundIds: number[]
  /** A datetime-local value. */
  startsAt: string
  duration: number
  place: string
  onlineLink: string
  chair: Person | null
  recorder: Person | null
  items: ItemDraft[]
  /** The residents of a council, or the sides of a mediation. */
  invitees: Person[]
  /** The papers to read before it, uploaded to the first compound chosen. */
  papers: FileView[]
}

let nextKey = 1

export function newItem(): ItemDraft {
  return { key: nextKey++, title: '', minutes: '15', presenter: null, source: '' }
}

/** The earliest a meeting of `kind` announced at `now` may start. */
export function earliestStart(kind: MeetingKind, now: number): Date {
  return new Date(now + KIND_RULES[kind].noticeDays * 86_400_000)
}

/** A time to propose: 14:00 on the first day after the kind's notice. */
export function proposedStart(kind: MeetingKind, now: number): Date {
  const d = earliestStart(kind, now)
  d.setDate(d.getDate() + 1)
  d.setHours(14, 0, 0, 0)
  return d
}

export function emptyMeeting(kind: MeetingKind, compoundIds: number[], now: number): MeetingDraft {
  return {
    kind,
    title: '',
    description: '',
    compoundIds,
    startsAt: toLocalInput(proposedStart(kind, now)),
    duration: 90,
    place: '',
    onlineLink: '',
    chair: null,
    recorder: null,
    items: [],
    invitees: [],
    papers: [],
  }
}

/** Changes the kind: one compound where the kind takes one, named people only where it names any, and a start after its notice. */
export function setKind(draft: MeetingDraft, kind: MeetingKind, now: number): void {
  const rules = KIND_RULES[kind]
  draft.kind = kind
  if (!rules.severalCompounds) draft.compoundIds = draft.compoundIds.slice(0, 1)
  if (!rules.names) draft.invitees = []
  const start = fromLocalInput(draft.startsAt)
  if (!start || start.getTime() < earliestStart(kind, now).getTime()) draft.startsAt = toLocalInput(proposedStart(kind, now))
}

/** Moves an entry of `list` by `by` places, if it stays inside. */
export function moveEntry<T>(list: T[], index: number, by: number): void {
  const to = index + by
  if (to < 0 || to >= list.length) return
  const [entry] = list.splice(index, 1)
  if (entry !== undefined) list.splice(to, 0, entry)
}

export const SOURCES: readonly ItemSource[] = ['agenda', 'concern', 'questionnaire', 'vote', 'convention']

export function sourceValue(source: ItemSource, id: number): string {
  return `${source}:${id}`
}

/** `agenda:3` → { source: 'agenda', id: 3 }; anything else is a free item. */
export function parseSource(value: string): { source: ItemSource; id: number } | null {
  const [source, id] = value.split(':')
  const n = Number(id)
  if (!SOURCES.includes(source as ItemSource) || !Number.isInteger(n) || n <= 0) return null
  return { source: source as ItemSource, id: n }
}

export interface Problem {
  key: string
  params?: Record<string, string | number>
}

/** The form's own checks, keyed the way the server names fields (`items[1].title`). */
export function validateMeeting(draft: MeetingDraft): Record<string, Problem> {
  const out: Record<string, Problem> = {}
  if (!draft.title.trim()) out.title = { key: 'meetings.form.errors.required' }
  if (draft.compoundIds.length === 0) out.compound_ids = { key: 'meetings.form.errors.compound' }
  if (!fromLocalInput(draft.startsAt)) out.starts_at = { key: 'meetings.form.errors.time' }
  const link = draft.onlineLink.trim()
  if (!draft.place.trim() && !link) out.place = { key: 'meetings.form.errors.where' }
  if (link && !/^https:\/\/\S+$/.test(link)) out.online_link = { key: 'meetings.form.errors.https' }
  if (KIND_RULES[draft.kind].names === 'sides' && draft.invitees.length < 2) out.invitee_ids = { key: 'meetings.form.errors.sides' }
  draft.items.forEach((item, i) => {
    if (!item.title.trim()) out[`items[${i}].title`] = { key: 'meetings.form.errors.required' }
    const minutes = Number(item.minutes)
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 240) out[`items[${i}].minutes`] = { key: 'meetings.form.errors.minutes' }
  })
  return out
}

/** The request the server takes. */
export function toNewMeeting(draft: MeetingDraft): NewMeeting {
  const start = fromLocalInput(draft.startsAt)
  return {
    kind: draft.kind,
    title: draft.title.trim(),
    description: draft.description,
    compound_ids: draft.compoundIds,
    starts_at: start ? start.toISOString() : draft.startsAt,
    duration_minutes: draft.duration,
    place: draft.place.trim() || null,
    online_link: draft.onlineLink.trim() || null,
    chair_id: draft.chair?.id ?? null,
    recorder_id: draft.recorder?.id ?? null,
    items: draft.items.map((item) => {
      const from = parseSource(item.source)
      return {
        title: item.title.trim(),
        minutes: Number(item.minutes),
        presenter_id: item.presenter?.id ?? null,
        source: from?.source ?? null,
        source_id: from?.id ?? null,
      }
    }),
    invitee_ids: KIND_RULES[draft.kind].names ? draft.invitees.map((p) => p.id) : [],
    attachment_ids: draft.papers.map((f) => f.id),
  }
}

/** Invitations of one party, of the committee's members, of the sides, or of the residents and owners. */
export interface InvitationGroup {
  key: string
  partyKind: PartyKind | null
  partyName: string | null
  capacity: MeetingInvitation['capacity']
  invitations: MeetingInvitation[]
}

const PARTY_ORDER: readonly PartyKind[] = ['community_office', 'property_company', 'owners_committee']
const CAPACITY_ORDER: readonly MeetingInvitation['capacity'][] = ['party', 'member', 'side', 'resident', 'owner']

/** The invitations grouped: each party (the office, the property company, the committee), then members, sides, residents, owners. */
export function groupInvitations(list: readonly MeetingInvitation[]): InvitationGroup[] {
  const groups: InvitationGroup[] = []
  for (const inv of list) {
    const party = inv.capacity === 'party' ? (inv.party_kind ?? null) : null
    const key = party ? `party-${party}-${inv.party_name ?? ''}` : inv.capacity
    let group = groups.find((g) => g.key === key)
    if (!group) {
      group = { key, partyKind: party, partyName: party ? (inv.party_name ?? null) : null, capacity: inv.capacity, invitations: [] }
      groups.push(group)
    }
    group.invitations.push(inv)
  }
  const rank = (g: InvitationGroup) =>
    CAPACITY_ORDER.indexOf(g.capacity) * 10 + (g.partyKind ? PARTY_ORDER.indexOf(g.partyKind) : 0)
  return groups.sort((a, b) => rank(a) - rank(b))
}

/** The value at a field path as the server names it (`items[1].title`), in a request body. */
export function fieldValue(body: unknown, path: string): unknown {
  let node: unknown = body
  for (const part of path.split(/[.[\]]+/).filter(Boolean)) {
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return node
}
