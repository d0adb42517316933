import type { ConventionAdoption, ConventionView } from '@/api/conventions'

/** The SHA-256 of the fixture's text, as the server would name it. */
export const CONVENTION_DIGEST = 'c0ffee5a1e2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5'

/** Convention 9 of compound 7, a residents' convention in drafting at version 2, as GET /conventions/9 describes it. */
export function conventionFixture(over: Partial<ConventionView> = {}): ConventionView {
  const body = {
    preamble: '为了文明养犬，制定本公约。',
    chapters: [
      { id: 'c1', title: '', articles: [{ id: 'a1', text: '养犬应当登记。' }, { id: 'a2', text: '出户应当束犬链。' }] },
      { id: 'c2', title: '附则', articles: [{ id: 'a3', text: '本公约自公布之日起施行。' }] },
    ],
  }
  return {
    id: 9,
    community_id: 1,
    compound_id: 7,
    scope_name: '太阳城二期',
    kind: 'residents',
    title: '文明养犬公约',
    status: 'drafting',
    phase: 'drafting',
    party_kind: 'owners_committee',
    party_name: '太阳城二期业主委员会',
    enforcer: 'property_company',
    version: 2,
    digest: CONVENTION_DIGEST,
    preamble: body.preamble,
    chapters: [],
    body,
    consultation: null,
    versions: [],
    comments: 0,
    unanswered: 0,
    can: { edit: true, answer: true, comment: false, put: false, acknowledge: false, record_acknowledgements: false, report_breach_in: [] },
    routes: ['vote', 'residents_meeting', 'pledge'],
    in_force: null,
    adoptions: [],
    created_at: '2026-12-01T00:00:00Z',
    updated_at: '2026-12-01T00:00:00Z',
    ...over,
  }
}

/** An adoption of version 2, recorded on 1 December 2026. */
export function adoptionFixture(over: Partial<ConventionAdoption> = {}): ConventionAdoption {
  return {
    id: 40,
    action: 'adopt',
    route: 'pledge',
    told: 0,
    read: 0,
    version: 2,
    digest: CONVENTION_DIGEST,
    status: 'adopted',
    in_force_from: '2026-12-01T02:00:00Z',
    settled_at: '2026-12-01T02:00:00Z',
    created_at: '2026-12-01T02:00:00Z',
    ...over,
  }
}
