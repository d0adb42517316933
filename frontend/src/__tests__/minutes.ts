import type { MinutesCorrection, MinutesSignature, MinutesView } from '@/api/minutes'

/** The SHA-256 of the fixture's text, as the server would name it. */
export const DIGEST = '3f1c9a0d5be2c7e48a6f0b1d2c3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4'

/** Minutes of meeting 5 under sign-off, version 2, as GET /meetings/5/minutes describes them. */
export function minutesFixture(patch: Partial<MinutesView> = {}): MinutesView {
  return {
    id: 1,
    meeting_id: 5,
    meeting_title: '北门垃圾清运三方协商',
    meeting_kind: 'consultation',
    meeting_starts_at: '2026-12-06T07:00:00Z',
    status: 'signing',
    version: 2,
    text: '# 会议纪要\n\n物业每日清运两次。\n',
    text_html: '<h1>会议纪要</h1>\n<p>物业每日清运两次。</p>\n',
    digest: DIGEST,
    drafted_by: { id: 2, name: '李书记' },
    corrections_until: '2026-12-08T10:00:00Z',
    sign_by: '2026-12-10T10:00:00Z',
    signing_version: 2,
    signatures: [],
    corrections: [],
    versions: [
      { version: 1, digest: 'aa'.repeat(32), reason: 'drafted', author: { id: 2, name: '李书记' }, created_at: '2026-12-06T09:00:00Z', signed: 0 },
      { version: 2, digest: DIGEST, reason: 'correction:1', author: { id: 2, name: '李书记' }, created_at: '2026-12-07T09:00:00Z', signed: 0 },
    ],
    addenda: [],
    published_at: null,
    publicity_until: null,
    publish_due: null,
    late: false,
    reads: null,
    can: { edit: false, correct: false, sign: false, publish: false, add_addendum: false },
    updated_at: '2026-12-07T09:00:00Z',
    ...patch,
  }
}

/** The property company's seat, waiting for its answer. */
export function signatureFixture(patch: Partial<MinutesSignature> = {}): MinutesSignature {
  return {
    id: 11,
    version: 2,
    seat: 'party',
    party_kind: 'property_company',
    party_name: '太阳城二期物业服务中心',
    person: null,
    answer: 'pending',
    opinion: null,
    digest: null,
    answered_at: null,
    did_not_sign: false,
    mine: false,
    ...patch,
  }
}

/** A correction proposed by the committee's chair on version 1. */
export function correctionFixture(patch: Partial<MinutesCorrection> = {}): MinutesCorrection {
  return {
    id: 1,
    version: 1,
    author: { id: 6, name: '刘主任' },
    original: '物业每日清运一次。\n',
    replacement: '物业每日清运两次。\n',
    reason: '会上议定的是两次',
    status: 'proposed',
    answer: null,
    answered_by: null,
    answered_at: null,
    created_at: '2026-12-07T08:00:00Z',
    stale: false,
    ...patch,
  }
}
