import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '@/i18n'
import { useAuthStore } from '@/stores/auth'
import AuditView from '@/views/AuditView.vue'
import { json, mockFetch, tokens } from '@/__tests__/helpers'

beforeEach(() => {
  localStorage.clear()
  vi.unstubAllGlobals()
  setActivePinia(createPinia())
  i18n.global.locale.value = 'zh-CN'
})

function event(seq: number, action: string, text: string) {
  return { id: seq, seq, at: '2026-11-22T02:00:00Z', actor: '李书记', text, action, subject: `concern:${seq}`, detail: {}, hash: 'ab'.repeat(32) }
}

describe('AuditView', () => {
  it('tells each event in the sentence the server wrote, in the reader’s language', async () => {
    mockFetch(() =>
      json(200, [event(2, 'concern.routed', '李书记将诉求 #7 转交物业服务企业'), event(1, 'auth.sign_in', '李书记登录了系统')]),
    )
    useAuthStore().setTokens(tokens(1))
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/audit', name: 'audit', component: AuditView }] })
    await router.push('/audit')
    const wrapper = mount(AuditView, { global: { plugins: [router, i18n] } })
    await flushPromises()

    expect(wrapper.findAll('[data-testid="audit-text"]').map((w) => w.text())).toEqual([
      '#2 李书记将诉求 #7 转交物业服务企业',
      '#1 李书记登录了系统',
    ])
    wrapper.unmount()
  })
})
