import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Pinia } from 'pinia'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import MeetingSignInView from '@/views/MeetingSignInView.vue'
import { apiError, freshPage, json, mockFetch, openAt } from '@/__tests__/helpers'
import { invitationFixture, meetingFixture } from '@/__tests__/meetings'

vi.mock('vant', async (importOriginal) => ({ ...(await importOriginal<typeof import('vant')>()), showNotify: vi.fn() }))

let pinia: Pinia

async function open(path: string): Promise<VueWrapper> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/meetings/:id/sign-in', name: 'meeting-sign-in', component: MeetingSignInView },
      { path: '/meetings/:id/live', name: 'meeting-live', component: { template: '<div />' } },
    ],
  })
  return openAt(MeetingSignInView, router, path, pinia)
}

beforeEach(() => {
  pinia = freshPage()
})

describe('MeetingSignInView', () => {
  it('signs in with the room’s code and says when', async () => {
    const signedAt = new Date(2026, 11, 6, 15, 2).toISOString()
    const calls = mockFetch((req) => {
      if (req.method === 'POST') return json(200, meetingFixture({ my_invitation: invitationFixture({ signed_in_at: signedAt, sign_in_method: 'qr' }) }))
      return json(200, meetingFixture({ my_invitation: invitationFixture() }))
    })
    const wrapper = await open('/meetings/5/sign-in?code=59885677.93970b8d')
    expect(wrapper.text()).toContain('北门垃圾清运三方协商')

    await wrapper.get('[data-testid="sign-in-submit"]').trigger('click')
    await flushPromises()
    expect(calls.at(-1)).toMatchObject({ method: 'POST', path: '/meetings/5/sign-in', body: { sign_in_code: '59885677.93970b8d' } })
    expect(wrapper.get('[data-testid="sign-in-done"]').text()).toBe('已签到 15:02')
    expect(wrapper.find('[data-testid="sign-in-submit"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('gives the server’s word on an expired code and sends the reader back to the room’s screen', async () => {
    mockFetch((req) => {
      if (req.method === 'POST') return apiError(422, 'validation_failed', '请检查填写的内容', { fields: { sign_in_code: '签到码已过期' } })
      return json(200, meetingFixture({ my_invitation: invitationFixture() }))
    })
    const wrapper = await open('/meetings/5/sign-in?code=1.old')
    await wrapper.get('[data-testid="sign-in-submit"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="sign-in-refused"]').text()).toBe('签到码已过期')
    expect(wrapper.get('[data-testid="sign-in-scan"]').text()).toBe('请扫描会场屏幕上的二维码')
    wrapper.unmount()
  })

  it('tells someone not invited that there is nothing to sign', async () => {
    mockFetch(() => json(200, meetingFixture()))
    const wrapper = await open('/meetings/5/sign-in?code=1.abc')
    expect(wrapper.find('[data-testid="sign-in-not-invited"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="sign-in-submit"]').exists()).toBe(false)
    wrapper.unmount()
  })
})
