import { ref, type Ref } from 'vue'
import { reportError } from './report'

/** One page of a list, as the server sends it. */
export interface Page<T> {
  items: T[]
  total: number
}

export interface PagedList<T> {
  items: Ref<T[]>
  total: Ref<number>
  page: Ref<number>
  loading: Ref<boolean>
  failed: Ref<boolean>
  /** Loads the first page again (`reset`, after a filter changed) or the current page onto the list. */
  load: (reset: boolean) => Promise<void>
  /** Adds the next page to the list. */
  more: () => Promise<void>
}

/**
 * A list read page by page: `fetchPage` asks the server for one page with the caller's filters.
 * Only the answer to the latest request is kept, so a filter changed twice quickly cannot show the older result.
 */
export function usePagedList<T>(fetchPage: (page: number, perPage: number) => Promise<Page<T>>, perPage = 20): PagedList<T> {
  const items = ref([]) as Ref<T[]>
  const total = ref(0)
  const page = ref(1)
  const loading = ref(false)
  const failed = ref(false)
  let latest = 0

  async function load(reset: boolean): Promise<void> {
    if (reset) page.value = 1
    const request = ++latest
    loading.value = true
    failed.value = false
    try {
      const res = await fetchPage(page.value, perPage)
      if (request !== latest) return
      items.value = reset ? res.items : [...items.value, ...res.items]
      total.value = res.total
    } catch (e) {
      if (request !== latest) return
      failed.value = true
      reportError(e)
    } finally {
      if (request === latest) loading.value = false
    }
  }

  async function more(): Promise<void> {
    page.value += 1
    await load(false)
  }

  return { items, total, page, loading, failed, load, more }
}
