import type { MeetingInvitation, MeetingView } from '@/api/meetings'

/** Meeting 5, a consultation of compound 7 in progress, as GET /meetings/5 describes it. */
export function meetingFixture(patch: Partial<MeetingView> = {}): MeetingView {
  return {
    id: 5,
    community_id: 1,
    compound_ids: [7],
    kind: 'consultation',
    title: '北门垃圾清运三方协商',
    description: '',
    description_html: '',
    status: 'in_progress',
    starts_at: '2026-12-06T07:00:00Z',
    duration_minutes: 60,
    place: '社区议事厅',
    online_link: null,
    chair: { id: 2, name: '李书记' },
    recorder: { id: 2, name: '李书记' },
    convened_by: { id: 2, name: '李书记' },
    convening_party: 'community_office',
    cancel_reason: null,
    items: [],
    invitations: [],
    answers: { invited: 0, attending: 0, deputies: 0, absent: 0, pending: 0 },
    my_invitation: null,
    attendance: {
      present: 0,
      invited: 0,
      parties: [],
      absent_parties: [],
      quorum_present: 0,
      quorum_expected: 0,
      quorum_needed: 0,
      quorum_met: true,
    },
    current_item_id: null,
    opened_at: null,
    closed_at: null,
    sign_in_sheet: null,
    attachments: [],
    open_tasks: [],
    can: { answer: false, send_deputy: false, manage: false, chair: false, record: false, sign_in: false, hand_off: false, attach: false },
    created_at: '2026-12-01T00:00:00Z',
    ...patch,
  }
}

/** The invitation of user 4, the property company's manager. */
export function invitationFixture(patch: Partial<MeetingInvitation> = {}): MeetingInvitation {
  return {
    id: 3,
    person: { id: 4, name: '赵经理' },
    capacity: 'party',
    party_kind: 'property_company',
    party_name: '太阳城二期物业服务中心',
    answer: 'attending',
    signed_in_at: null,
    sign_in_method: null,
    ...patch,
  }
}
