import { beforeEach, describe, expect, it } from 'vitest'
import type { Pinia } from 'pinia'
import type { VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Component } from 'vue'
import type { AuditEventView, ConcernEventView, ConcernView as Concern } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import AuditView from '@/views/AuditView.vue'
import ConcernView from '@/views/ConcernView.vue'
import { apiError, freshPage, json, me, membership, mockFetch, openAt, tokens } from '@/__tests__/helpers'

const routed: AuditEventView = {
  id: 41,
  seq: 41,
  at: '2026-12-06T02:00:00Z',
  actor: '李书记',
  text: '李书记将诉求 #7 转交物业公司',
  action: 'concern.routed',
  community_id: 1,
  compound_id: 7,
  subject: 'concern:7',
  detail: { party_kind: 'property_company', from: 'submitted', to: 'routed' },
  hash: 'ab'.repeat(32),
}

function event(patch: Partial<ConcernEventView>): ConcernEventView {
  return { id: 1, step: 'raised', text: '', actor_name: null, actor_person: null, actor_kind: null, note: null, party_kind: null, rating: null, department: null, at: '2026-12-06T02:00:00Z', ...patch }
}

const concern: Concern = {
  id: 7,
  community_id: 1,
  compound_id: 7,
  compound_name: '太阳城二期',
  building_id: null,
  building_name: null,
  location: '北门外',
  meetings: [],
  category: { id: 3, key: 'hygiene', name_zh: '环境卫生', name_en: 'Hygiene', default_party_kind: 'property_company', time_limit_hours: 48, position: 1 },
  text: '北门外垃圾无人清理',
  raised_by_name: '王芳',
  raised_by_person: { name: '王芳', official: false, party_kind: null },
  mine: false,
  status: 'routed',
  assigned_kind: 'property_company',
  assigned_party_name: '太阳城二期物业服务中心',
  due_at: '2026-12-08T02:00:00Z',
  overdue: false,
  created_at: '2026-12-06T02:00:00Z',
  updated_at: '2026-12-06T03:00:00Z',
  rating: null,
  agenda_id: null,
  photos: [],
  timeline: [
    event({ id: 1, step: 'raised', text: '王芳提出了诉求', actor_name: '王芳' }),
    event({
      id: 2,
      step: 'routed',
      text: '社区居委会将诉求转交物业公司',
      actor_name: '李书记',
      actor_person: { name: '李书记', official: true, party_kind: 'community_office' },
      actor_kind: 'community_office',
      party_kind: 'property_company',
      note: '请尽快清运',
    }),
  ],
  escalations: [],
  can: { route: false, acknowledge: false, reply: false, resolve: false, confirm: false, reopen: false, rate: false, escalate: false, open_agenda: false, add_photos: false },
}

let pinia: Pinia

async function mountAt(path: string, pattern: string, component: Component): Promise<VueWrapper> {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: pattern, component }] })
  return openAt(component, router, path, pinia)
}

beforeEach(() => {
  pinia = freshPage()
  const auth = useAuthStore()
  auth.setTokens(tokens(1))
  auth.me = me([membership('secretary', { community_id: 1 })])
})

describe('sentences written by the server', () => {
  it('shows each audit event as its sentence, with its number and time beside it', async () => {
    mockFetch((req) => (req.path === '/audit' ? json(200, [routed]) : apiError(404, 'not_found', req.path)))
    const wrapper = await mountAt('/audit', '/audit', AuditView)
    expect(wrapper.get('[data-testid="audit-text"]').text()).toBe('#41 李书记将诉求 #7 转交物业公司')
    expect(wrapper.get('[data-testid="audit-row"]').attributes('data-action')).toBe('concern.routed')
    wrapper.unmount()
  })

  it('shows each step of a concern as its sentence, with the note below it as written', async () => {
    mockFetch((req) => (req.path === '/concerns/7' ? json(200, concern) : apiError(404, 'not_found', req.path)))
    const wrapper = await mountAt('/concerns/7', '/concerns/:id', ConcernView)
    const steps = wrapper.findAll('[data-testid="timeline-step"]')
    expect(steps.map((s) => s.get('[data-testid="timeline-text"]').text())).toEqual(['王芳提出了诉求', '社区居委会将诉求转交物业公司'])
    expect(steps[1]?.get('[data-testid="timeline-note"]').text()).toBe('请尽快清运')
    expect(wrapper.get('[data-testid="concern-timeline"]').text()).not.toContain('（')
    wrapper.unmount()
  })
})
