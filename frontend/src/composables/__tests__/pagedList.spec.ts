import { beforeEach, describe, expect, it, vi } from 'vitest'
import { showNotify } from 'vant'
import { usePagedList, type Page } from '@/composables/pagedList'

vi.mock('vant', async (importOriginal) => ({ ...(await importOriginal<typeof import('vant')>()), showNotify: vi.fn() }))

/** A server holding `count` numbered rows, answering one page at a time. */
function rows(count: number) {
  return vi.fn(async (page: number, perPage: number): Promise<Page<{ id: number }>> => {
    const all = Array.from({ length: count }, (_, i) => ({ id: i + 1 }))
    return { items: all.slice((page - 1) * perPage, page * perPage), total: count }
  })
}

beforeEach(() => {
  vi.clearAllMocks()
})

describe('usePagedList', () => {
  it('reads the first page, then adds the next one to the list', async () => {
    const fetchPage = rows(5)
    const list = usePagedList(fetchPage, 2)
    await list.load(true)
    expect(list.items.value.map((r) => r.id)).toEqual([1, 2])
    expect(list.total.value).toBe(5)
    await list.more()
    expect(list.items.value.map((r) => r.id)).toEqual([1, 2, 3, 4])
    expect(fetchPage).toHaveBeenLastCalledWith(2, 2)
    expect(list.loading.value).toBe(false)
  })

  it('starts again from the first page when the filters change', async () => {
    const list = usePagedList(rows(5), 2)
    await list.load(true)
    await list.more()
    await list.load(true)
    expect(list.page.value).toBe(1)
    expect(list.items.value.map((r) => r.id)).toEqual([1, 2])
  })

  it('keeps only the answer to the latest request when an older one arrives late', async () => {
    let release: (page: Page<{ id: number }>) => void = () => {}
    const fetchPage = vi
      .fn<(page: number, perPage: number) => Promise<Page<{ id: number }>>>()
      .mockImplementationOnce(() => new Promise((resolve) => (release = resolve)))
      .mockResolvedValueOnce({ items: [{ id: 9 }], total: 1 })
    const list = usePagedList(fetchPage)
    const first = list.load(true)
    await list.load(true)
    release({ items: [{ id: 1 }, { id: 2 }], total: 2 })
    await first
    expect(list.items.value).toEqual([{ id: 9 }])
    expect(list.total.value).toBe(1)
    expect(list.loading.value).toBe(false)
  })

  it('says when a page could not be read, and tells the user', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const list = usePagedList(() => Promise.reject(new Error('offline')))
    await list.load(true)
    expect(list.failed.value).toBe(true)
    expect(list.loading.value).toBe(false)
    expect(showNotify).toHaveBeenCalled()
  })
})
