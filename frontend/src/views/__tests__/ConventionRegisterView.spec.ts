import { beforeEach, describe, expect, it } from 'vitest'
import type { Pinia } from 'pinia'
import type { DOMWrapper, VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Adoption, RegisterEntry } from '@/composables/conventionRegister'
import { useAuthStore } from '@/stores/auth'
import ConventionRegisterView from '@/views/ConventionRegisterView.vue'
import { apiError, compoundDetail, freshPage, json, mockFetch, openAt, type RecordedRequest, tokens } from '@/__tests__/helpers'

let pinia: Pinia

const DIGEST = 'a3f1c2d4e5b6978812345678909abcdef0123456789abcdef0123456789abcd'

function adoption(over: Partial<Adoption>): Adoption {
  return {
    id: 1,
    action: 'adopt',
    route: 'vote',
    told: 0,
    read: 0,
    version: 1,
    digest: DIGEST,
    status: 'adopted',
    in_force_from: '2026-03-01T00:00:00Z',
    created_at: '2026-01-10T00:00:00Z',
    ...over,
  }
}

function entry(id: number, over: Partial<RegisterEntry> & { title: string; kind?: RegisterEntry['convention']['kind']; compound?: string | null }): RegisterEntry {
  const { title, kind = 'covenant', compound = '太阳城二期', ...rest } = over
  return {
    convention: {
      id,
      title,
      kind,
      compound_id: compound ? 7 : null,
      compound_name: compound,
      party_kind: 'owners_committee',
      phase: 'in_force',
      version: 3,
      comments: 0,
      unanswered: 0,
      updated_at: '2026-12-01T00:00:00Z',
    },
    history: [],
    ...rest,
  }
}

/** The covenant, adopted by the owners' vote (version 3 after a failed round and an earlier version), due for review. */
const covenant = entry(3, {
  title: '太阳城二期管理规约',
  in_force: { version: 3, digest: DIGEST, from: '2026-11-01T00:00:00Z', route: 'vote', compounds: [] },
  review_on: '2020-01-01',
  history: [
    adoption({ id: 30, version: 3, vote_id: 12, vote_title: '表决《管理规约》修订稿', result: { passed: true, quorum_met: true }, settled_at: '2026-10-30T00:00:00Z', in_force_from: '2026-11-01T00:00:00Z' }),
    adoption({ id: 20, version: 2, status: 'failed', vote_id: 11, vote_title: '表决《管理规约》第二版', result: { passed: false, quorum_met: false }, settled_at: '2026-06-30T00:00:00Z' }),
    adoption({ id: 10, version: 1, record: '2019 年业主大会会议决定（纸质档案）', decided_on: '2019-05-20', superseded_at: '2026-11-01T00:00:00Z' }),
  ],
})

/** A community-wide pledge, decided at the three-party meeting held on the platform. */
const pledge = entry(5, {
  title: '垃圾分类倡议',
  kind: 'residents',
  compound: null,
  in_force: { version: 1, digest: DIGEST, from: '2026-11-15T00:00:00Z', route: 'pledge', compounds: [] },
  review_on: '2999-01-01',
  history: [adoption({ id: 50, route: 'pledge', decided_by: 'three_party', decided_on: '2026-11-10', record: '三方协商会议纪要第 8 号', meeting_id: 41, meeting_title: '垃圾分类三方协商' })],
})

const repealed = entry(8, {
  title: '停车管理公约',
  kind: 'residents',
  in_force: { version: 1, digest: DIGEST, from: '2025-01-01T00:00:00Z', route: 'residents_meeting', compounds: [] },
  repealed_at: '2026-09-01T00:00:00Z',
  history: [
    adoption({ id: 81, action: 'repeal', route: 'residents_meeting', decided_on: '2026-08-20', record: '居民会议决议', filed_on: '2026-08-25', filing_ref: '北街备 2026-17', in_force_from: '2026-09-01T00:00:00Z' }),
    adoption({ id: 80, route: 'residents_meeting', decided_on: '2024-12-20', record: '居民会议决议', filed_on: '2024-12-25', filing_ref: '北街备 2024-31', superseded_at: '2026-09-01T00:00:00Z' }),
  ],
})

function router() {
  const stub = { template: '<div />' }
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/compounds/:id/convention-register', name: 'convention-register', component: ConventionRegisterView },
      { path: '/communities/:id/convention-register', name: 'community-convention-register', component: ConventionRegisterView },
      { path: '/conventions/:id', name: 'convention', component: stub },
      { path: '/conventions/:id/versions/:version', name: 'convention-version', component: stub },
      { path: '/conventions/:id/report', name: 'convention-report', component: stub },
      { path: '/conventions/:id/print', name: 'convention-print', component: stub },
      { path: '/votes/:id', name: 'vote', component: stub },
      { path: '/meetings/:id', name: 'meeting', component: stub },
    ],
  })
}

function serve(register: RegisterEntry[]): RecordedRequest[] {
  return mockFetch((req) => {
    if (req.path === '/compounds/7') return json(200, compoundDetail)
    if (req.path === '/communities/1') return json(200, { community: compoundDetail.community, compounds: [], parties: [] })
    if (req.path.endsWith('/convention-register')) return json(200, register)
    return apiError(404, 'not_found', '没有找到')
  })
}

const rows = (w: VueWrapper) => w.findAll('[data-testid="register-entry"]')
const row = (w: VueWrapper, id: number) => w.get(`[data-testid="register-entry"][data-id="${id}"]`)
const hrefs = (r: Omit<DOMWrapper<Element>, 'exists'>) => r.findAll('a').map((a) => a.attributes('href'))

beforeEach(() => {
  pinia = freshPage()
  useAuthStore().setTokens(tokens(1))
})

describe('ConventionRegisterView', () => {
  it('lists the conventions in force first, then the repealed ones', async () => {
    serve([repealed, covenant, pledge])
    const w = await openAt(ConventionRegisterView, router(), '/compounds/7/convention-register', pinia)
    expect(w.get('[data-testid="register-scope"]').text()).toBe('太阳城二期')
    expect(rows(w).map((r) => [r.attributes('data-id'), r.attributes('data-state')])).toEqual([
      ['3', 'in_force'],
      ['5', 'in_force'],
      ['8', 'repealed'],
    ])
    expect(w.get('[data-testid="register-repealed-list"]').text()).toContain('停车管理公约')
    const gone = row(w, 8)
    expect(gone.get('[data-testid="register-repealed"]').text()).toContain('北街备 2026-17')
    expect(gone.find('[data-testid="register-print"]').exists()).toBe(false)
    expect(gone.find('[data-testid="register-review"]').exists()).toBe(false)
  })

  it('shows a vote’s title, link and result, and a pledge as 倡议 decided on record, not by the owners’ assembly', async () => {
    serve([covenant, pledge])
    const w = await openAt(ConventionRegisterView, router(), '/compounds/7/convention-register', pinia)

    const voted = row(w, 3)
    expect(voted.attributes('data-route')).toBe('vote')
    expect(voted.get('[data-testid="register-title"]').text()).toBe('太阳城二期管理规约')
    expect(voted.text()).toContain('管理规约')
    expect(voted.get('[data-testid="register-version"]').text()).toContain('第 3 版')
    const how = voted.get('[data-testid="register-how"]')
    expect(how.get('[data-testid="adoption-route"]').text()).toBe('业主大会表决')
    const vote = how.get('[data-testid="adoption-vote"]')
    expect(vote.attributes('href')).toBe('/votes/12')
    expect(vote.text()).toBe('《表决《管理规约》修订稿》')
    expect(how.get('[data-testid="adoption-result"]').text()).toBe('通过')
    expect(voted.get('[data-testid="register-review"]').attributes('data-due')).toBe('yes')
    expect(voted.get('[data-testid="register-review"]').text()).toContain('已到复审日')
    expect(hrefs(voted)).toEqual(expect.arrayContaining(['/conventions/3', '/conventions/3/versions/3', '/conventions/3/report', '/conventions/3/print']))

    const pledged = row(w, 5)
    expect(pledged.attributes('data-route')).toBe('pledge')
    expect(pledged.text()).toContain('全社区')
    const decision = pledged.get('[data-testid="register-how"]')
    expect(decision.get('[data-testid="adoption-route"]').text()).toBe('倡议')
    expect(decision.get('[data-testid="adoption-decision"]').text()).toMatch(/^经三方协商会议于 .+ 决定通过，不经业主大会表决$/)
    expect(decision.get('[data-testid="adoption-record"]').text()).toBe('决定记录：三方协商会议纪要第 8 号')
    expect(decision.find('[data-testid="adoption-vote"]').exists()).toBe(false)
    const minutes = decision.get('[data-testid="adoption-minutes"]')
    expect(minutes.text()).toBe('会议纪要：垃圾分类三方协商')
    expect(minutes.attributes('href')).toBe('/meetings/41')
    expect(row(w, 3).find('[data-testid="adoption-minutes"]').exists()).toBe(false)
    expect(pledged.get('[data-testid="register-review"]').attributes('data-due')).toBe('no')
  })

  it('keeps every round in the history: the version in force, a failed vote, and the version it superseded', async () => {
    serve([covenant])
    const w = await openAt(ConventionRegisterView, router(), '/compounds/7/convention-register', pinia)
    const history = row(w, 3).get('[data-testid="register-history"]')
    expect(history.get('summary').text()).toBe('历次表决和决定（3）')
    const rounds = history.findAll('[data-testid="register-round"]')
    expect(rounds.map((r) => [r.attributes('data-version'), r.attributes('data-status'), r.attributes('data-superseded')])).toEqual([
      ['3', 'adopted', 'no'],
      ['2', 'failed', 'no'],
      ['1', 'adopted', 'yes'],
    ])
    expect(rounds[1]!.text()).toContain('第 2 版未获通过')
    expect(rounds[1]!.get('[data-testid="adoption-result"]').text()).toBe('参与表决的业主未达法定人数，未获通过')
    expect(rounds[1]!.find('[data-testid="register-round-force"]').exists()).toBe(false)
    // An earlier vote held on paper: its record instead of a vote to open.
    expect(rounds[2]!.text()).toContain('2019 年业主大会会议决定（纸质档案）')
    expect(rounds[2]!.get('[data-testid="register-round-force"]').text()).toContain('起不再施行')
    expect(rounds.map((r) => r.get('[data-testid="register-round-version"]').attributes('href'))).toEqual(['/conventions/3/versions/3', '/conventions/3/versions/2', '/conventions/3/versions/1'])
  })

  it('says so when nothing is in force, and reads a community’s register from the community', async () => {
    const calls = serve([])
    const w = await openAt(ConventionRegisterView, router(), '/communities/1/convention-register', pinia)
    expect(calls.map((c) => c.path)).toEqual(expect.arrayContaining(['/communities/1', '/communities/1/convention-register']))
    expect(w.get('[data-testid="register-scope"]').text()).toBe('太阳城社区')
    expect(w.get('[data-testid="register-empty"]').text()).toContain('目前没有生效的公约规约')
    expect(rows(w)).toHaveLength(0)
  })
})
