import { beforeEach, describe, expect, it } from 'vitest'
import type { Pinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { ConventionVersion, ConventionView } from '@/api/conventions'
import { useAuthStore } from '@/stores/auth'
import ConventionPrintView from '@/views/ConventionPrintView.vue'
import { apiError, freshPage, json, mockFetch, openAt, type RecordedRequest, tokens } from '@/__tests__/helpers'

let pinia: Pinia

const DIGEST = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'

function conventionFixture(over: Partial<ConventionView> = {}): ConventionView {
  return {
    id: 3,
    community_id: 1,
    compound_id: 7,
    scope_name: '太阳城二期',
    kind: 'covenant',
    title: '太阳城二期管理规约',
    status: 'in_force',
    phase: 'in_force',
    party_kind: 'owners_committee',
    party_name: '太阳城二期业主委员会',
    enforcer: 'property_company',
    // A later draft is being written: the page prints version 2, the one in force.
    version: 4,
    digest: 'later',
    preamble: '',
    chapters: [],
    body: { preamble: '', chapters: [] },
    consultation: null,
    versions: [],
    comments: 0,
    unanswered: 0,
    can: { acknowledge: false, answer: false, comment: false, edit: false, put: false, record_acknowledgements: false, report_breach_in: [] },
    routes: ['vote'],
    in_force: { version: 2, digest: DIGEST, from: '2026-11-01T00:00:00Z', route: 'vote', compounds: [] },
    adoptions: [
      {
        id: 30,
        action: 'adopt',
        route: 'vote',
        told: 0,
        read: 0,
        version: 2,
        digest: DIGEST,
        status: 'adopted',
        vote_id: 12,
        vote_title: '表决《管理规约》修订稿',
        result: { passed: true, quorum_met: true },
        in_force_from: '2026-11-01T00:00:00Z',
        settled_at: '2026-10-30T00:00:00Z',
        created_at: '2026-10-01T00:00:00Z',
      },
    ],
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-12-01T00:00:00Z',
    ...over,
  }
}

const version2: ConventionVersion = {
  version: { version: 2, title: '太阳城二期管理规约', author: '刘主任', reason: 'edited', digest: DIGEST, created_at: '2026-09-01T00:00:00Z' },
  preamble: '为维护全体业主的共同利益，制定本规约。',
  chapters: [
    {
      id: 'c1',
      label: '第一章',
      title: '总则',
      articles: [
        { id: 'a1', label: '第一条', text: '本规约对全体业主具有约束力。', comments: 0, amendments: 0, unanswered: 0 },
        { id: 'a2', label: '第二条', text: '业主应当遵守本规约。', comments: 0, amendments: 0, unanswered: 0 },
      ],
    },
  ],
}

function router() {
  const stub = { template: '<div />' }
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/conventions/:id', name: 'convention', component: stub },
      { path: '/conventions/:id/print', name: 'convention-print', component: ConventionPrintView },
      { path: '/votes/:id', name: 'vote', component: stub },
      { path: '/meetings/:id', name: 'meeting', component: stub },
    ],
  })
}

function serve(convention: ConventionView): RecordedRequest[] {
  return mockFetch((req) => {
    if (req.path === '/conventions/3') return json(200, convention)
    if (req.path === '/conventions/3/versions/2') return json(200, version2)
    return apiError(404, 'not_found', '没有找到')
  })
}

beforeEach(() => {
  pinia = freshPage()
  useAuthStore().setTokens(tokens(1))
})

describe('ConventionPrintView', () => {
  it('heads the text in force with its title, scope, how and since when it was adopted, and its SHA-256 in full', async () => {
    const calls = serve(conventionFixture())
    const w = await openAt(ConventionPrintView, router(), '/conventions/3/print', pinia)
    expect(calls.map((c) => c.path)).toEqual(['/conventions/3', '/conventions/3/versions/2'])
    expect(w.findAll('h1').map((h) => h.text())).toEqual(['太阳城二期管理规约'])
    expect(w.get('[data-testid="print-scope"]').text()).toBe('太阳城二期')
    expect(w.get('[data-testid="print-parties"]').text()).toBe('管理规约 · 起草方：太阳城二期业主委员会 · 执行方：物业服务企业')
    const adoption = w.get('[data-testid="print-adoption"]')
    expect(adoption.attributes('data-route')).toBe('vote')
    expect(adoption.get('[data-testid="print-adopted"]').text()).toMatch(/^第 2 版，自 .+ 起施行（通过方式：业主大会表决）$/)
    expect(adoption.get('[data-testid="adoption-vote"]').text()).toBe('《表决《管理规约》修订稿》')
    expect(adoption.get('[data-testid="adoption-result"]').text()).toBe('通过')
    expect(adoption.get('[data-testid="print-digest"]').text()).toBe(`第 2 版文本指纹（SHA-256）：${DIGEST}`)
    expect(w.findAll('[data-testid="convention-article"]').map((a) => a.text())).toEqual(['第一条 本规约对全体业主具有约束力。', '第二条 业主应当遵守本规约。'])
    expect(w.get('[data-testid="convention-chapter"]').text()).toContain('第一章 总则')
  })

  it('reads a pledge as 倡议, with the body that decided it and the minutes of its meeting', async () => {
    const pledged = conventionFixture({
      kind: 'residents',
      enforcer: 'owners_committee',
      in_force: { version: 2, digest: DIGEST, from: '2026-11-15T00:00:00Z', route: 'pledge', compounds: [] },
      adoptions: [
        {
          id: 50,
          action: 'adopt',
          route: 'pledge',
          told: 0,
          read: 0,
          version: 2,
          digest: DIGEST,
          status: 'adopted',
          decided_by: 'owners_committee',
          decided_on: '2026-11-10',
          record: '业委会会议纪要第 3 号',
          meeting_id: 21,
          meeting_title: '十一月业委会例会',
          in_force_from: '2026-11-15T00:00:00Z',
          created_at: '2026-11-10T00:00:00Z',
        },
      ],
    })
    serve(pledged)
    const w = await openAt(ConventionPrintView, router(), '/conventions/3/print', pinia)
    expect(w.get('[data-testid="print-adopted"]').text()).toContain('通过方式：倡议')
    expect(w.get('[data-testid="adoption-decision"]').text()).toMatch(/^经业主委员会于 .+ 决定通过，不经业主大会表决$/)
    expect(w.get('[data-testid="adoption-record"]').text()).toBe('决定记录：业委会会议纪要第 3 号')
    const minutes = w.get('[data-testid="adoption-minutes"]')
    expect(minutes.text()).toBe('会议纪要：十一月业委会例会')
    expect(minutes.attributes('href')).toBe('/meetings/21')
    expect(w.get('[data-testid="print-parties"]').text()).toContain('执行方：业主委员会')
  })

  it('draws a QR code to the convention’s acknowledgement, with its caption', async () => {
    serve(conventionFixture())
    const w = await openAt(ConventionPrintView, router(), '/conventions/3/print', pinia)
    const qr = w.get('[data-testid="print-qr"]')
    expect(qr.attributes('data-url')).toBe(`${window.location.origin}/conventions/3#acknowledge`)
    expect(qr.get('img').attributes('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,/)
    expect(qr.get('figcaption').text()).toBe('扫码阅读并确认知晓')
    // The paper's size for as long as the page is shown (earlier tests' pages are still mounted).
    const papers = () => [...document.head.querySelectorAll('style[data-sf-print="convention-print"]')]
    const shown = papers().length
    expect(papers().at(-1)?.textContent).toContain('size: A4')
    w.unmount()
    expect(papers()).toHaveLength(shown - 1)
  })

  it('prints no text, nor a code, before the convention is in force', async () => {
    const calls = serve(conventionFixture({ in_force: null, adoptions: [], status: 'drafting', phase: 'drafting' }))
    const w = await openAt(ConventionPrintView, router(), '/conventions/3/print', pinia)
    expect(calls.map((c) => c.path)).toEqual(['/conventions/3'])
    expect(w.get('[data-testid="print-not-in-force"]').text()).toContain('尚未生效')
    expect(w.find('[data-testid="print-qr"]').exists()).toBe(false)
    expect(w.find('[data-testid="convention-article"]').exists()).toBe(false)
  })
})
