import { describe, expect, it } from 'vitest'
import { ApiError, errorFromResponse } from '@/api/http'
import { json } from '@/__tests__/helpers'

describe('errorFromResponse', () => {
  it('reads the code, message and field messages of a validation error', async () => {
    const res = json(422, {
      error: { code: 'validation_failed', message: '输入有误', fields: { new_password: '至少 8 位', phone: ['格式不对', '已被使用'] } },
    })

    const error = await errorFromResponse(res)

    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 422, code: 'validation_failed', message: '输入有误' })
    expect(error.fields).toEqual({ new_password: '至少 8 位', phone: '格式不对；已被使用' })
    expect(error.rows).toBeUndefined()
  })

  it('reads the bad rows of a rejected roster', async () => {
    const res = json(422, {
      error: {
        code: 'roster_invalid',
        message: '名册有 2 行错误',
        rows: [
          { line: 4, field: 'area', message: '面积必须大于 0' },
          { line: 9, field: null, message: '房号重复' },
          { line: 'x', message: 'malformed rows are dropped' },
        ],
      },
    })

    const error = await errorFromResponse(res)

    expect(error.code).toBe('roster_invalid')
    expect(error.rows).toEqual([
      { line: 4, field: 'area', message: '面积必须大于 0' },
      { line: 9, field: null, message: '房号重复' },
    ])
  })

  it('falls back to a code from the status when the body is not the error shape', async () => {
    const res = new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' })
    const error = await errorFromResponse(res)
    expect(error).toMatchObject({ status: 502, code: 'internal', message: 'Bad Gateway' })

    const empty = await errorFromResponse(new Response(null, { status: 404 }))
    expect(empty).toMatchObject({ status: 404, code: 'not_found' })
  })

  it('keeps the Retry-After seconds of a 429', async () => {
    const res = json(429, { error: { code: 'too_many_requests', message: 'slow down' } }, { 'Retry-After': '30' })
    const error = await errorFromResponse(res)
    expect(error).toMatchObject({ status: 429, code: 'too_many_requests', retryAfter: 30 })
  })
})
