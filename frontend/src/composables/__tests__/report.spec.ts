import { afterEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { showNotify } from 'vant'
import { client } from '@/api/client'
import { ApiError } from '@/api/http'
import { errorMessage, reportError } from '@/composables/report'
import { i18n } from '@/i18n'
import { apiError, mockFetch } from '@/__tests__/helpers'

vi.mock('vant', async (importOriginal) => ({
  ...(await importOriginal<typeof import('vant')>()),
  showNotify: vi.fn(),
}))

/** The error a GET answers with, through the real client. */
async function failure(handler: Parameters<typeof mockFetch>[0]): Promise<unknown> {
  setActivePinia(createPinia())
  mockFetch(handler)
  return client.GET('/api/v1/votes/{id}', { params: { path: { id: 1 } } }).catch((e: unknown) => e)
}

afterEach(() => {
  vi.unstubAllGlobals()
  i18n.global.locale.value = 'zh-CN'
})

describe('errorMessage', () => {
  it('shows the message the server wrote, whatever its code', async () => {
    const error = await failure(() => apiError(409, 'vote_closed', 'voting has closed'))
    expect(errorMessage(error)).toBe('voting has closed')

    const known = await failure(() => apiError(403, 'forbidden', '您的角色不能办理此事'))
    expect(errorMessage(known)).toBe('您的角色不能办理此事')
  })

  it('uses its own words when the server was not reached, in the app’s language', async () => {
    const error = await failure(() => {
      throw new TypeError('Failed to fetch')
    })
    expect(error).toMatchObject({ status: 0, code: 'network_error', fromServer: false })
    expect(errorMessage(error)).toBe('无法连接服务器，请检查网络后重试')

    i18n.global.locale.value = 'en'
    expect(errorMessage(error)).toBe('Cannot reach the server. Check your connection and try again.')
  })

  it('uses its own words when something other than the server answered', async () => {
    const gateway = await failure(() => new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }))
    expect(errorMessage(gateway)).toBe('服务器出错了，请稍后再试')

    const proxy = await failure(() => new Response('<html>Too Large</html>', { status: 413 }))
    expect(errorMessage(proxy)).toBe('文件太大，请拆分后再上传')

    expect(errorMessage(new ApiError(413, 'payload_too_large', 'checked before upload'))).toBe('文件太大，请拆分后再上传')
    expect(errorMessage(new Error('a bug'))).toBe('出现意外错误，请刷新页面后重试')
  })

  it('reportError shows the message in a notification', async () => {
    const error = await failure(() => apiError(409, 'vote_closed', '投票已经截止'))
    reportError(error)
    expect(showNotify).toHaveBeenCalledWith({ type: 'danger', message: '投票已经截止' })
  })
})
