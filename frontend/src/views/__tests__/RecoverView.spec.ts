import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Pinia } from 'pinia'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import { showSuccessToast } from 'vant'
import RecoverView from '@/views/RecoverView.vue'
import { apiError, freshPage, json, mockFetch, openAt } from '@/__tests__/helpers'

vi.mock('vant', async (importOriginal) => ({
  ...(await importOriginal<typeof import('vant')>()),
  showSuccessToast: vi.fn(),
  showNotify: vi.fn(),
}))

let pinia: Pinia
let router: Router

async function mountRecover(): Promise<VueWrapper> {
  router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/recover', name: 'recover', component: RecoverView },
      { path: '/login', name: 'login', component: { template: '<div />' } },
    ],
  })
  return openAt(RecoverView, router, '/recover', pinia)
}

async function fill(wrapper: VueWrapper, login: string, code: string, password: string): Promise<void> {
  await wrapper.get('[data-testid="recover-login"]').setValue(login)
  await wrapper.get('[data-testid="recover-code"]').setValue(code)
  await wrapper.get('[data-testid="recover-password"]').setValue(password)
  await wrapper.get('[data-testid="recover-form"]').trigger('submit')
  await flushPromises()
}

beforeEach(() => {
  pinia = freshPage()
})

describe('RecoverView', () => {
  it('explains that the code comes from the community office in person', async () => {
    mockFetch(() => json(204, null))
    const wrapper = await mountRecover()
    expect(wrapper.get('[data-testid="recover-steps"]').text()).toContain('社区居委会')
    expect(wrapper.get('[data-testid="recover-steps"]').text()).toContain('另一位社区工作人员')
    wrapper.unmount()
  })

  it('posts the login, code and new password without a session, then sends the user to log in', async () => {
    const calls = mockFetch(() => json(204, null))
    const wrapper = await mountRecover()

    await fill(wrapper, ' owner010 ', 'y73r-xqy8', 'new-secret-1')

    expect(calls).toHaveLength(1)
    expect(calls[0]?.method).toBe('POST')
    expect(calls[0]?.path).toBe('/auth/recover')
    expect(calls[0]?.headers.get('Authorization')).toBeNull()
    expect(calls[0]?.body).toEqual({ login: 'owner010', recovery_code: 'Y73R-XQY8', new_password: 'new-secret-1' })
    expect(showSuccessToast).toHaveBeenCalledWith('新密码已设置，请用新密码登录')
    expect(router.currentRoute.value.name).toBe('login')
    wrapper.unmount()
  })

  it('says so when the code still waits for the second clerk, and stays on the form', async () => {
    mockFetch(() => apiError(409, 'recovery_unconfirmed', '这个找回码还没有经第二位社区工作人员确认'))
    const wrapper = await mountRecover()

    await fill(wrapper, 'owner010', 'Y73R-XQY8', 'new-secret-1')

    expect(wrapper.get('[data-testid="recover-error"]').text()).toContain('还没有经第二位社区工作人员确认')
    expect(router.currentRoute.value.name).toBe('recover')
    expect(showSuccessToast).not.toHaveBeenCalled()
    wrapper.unmount()
  })

  it('shows the server’s field errors next to the fields', async () => {
    mockFetch(() =>
      apiError(422, 'validation_failed', '新密码：至少 8 个字符', { fields: { recovery_code: '不是有效的找回码', new_password: '太常见了' } }),
    )
    const wrapper = await mountRecover()

    await fill(wrapper, 'owner010', 'AAAA-BBBB', 'password')

    const errors = wrapper.findAll('.van-field__error-message').map((e) => e.text())
    expect(errors).toEqual(['不是有效的找回码', '太常见了'])
    expect(wrapper.find('[data-testid="recover-error"]').exists()).toBe(false)
    expect(router.currentRoute.value.name).toBe('recover')
    wrapper.unmount()
  })

  it('does not send a password shorter than eight characters', async () => {
    const calls = mockFetch(() => json(204, null))
    const wrapper = await mountRecover()

    await fill(wrapper, 'owner010', 'Y73R-XQY8', 'short')

    expect(calls).toHaveLength(0)
    expect(wrapper.text()).toContain('密码至少 8 位')
    wrapper.unmount()
  })
})
