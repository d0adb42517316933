import { ref, shallowRef, type Ref, type ShallowRef } from 'vue'
import { ApiError } from '@/api/http'
import { reportError } from './report'

export interface Loader<T> {
  data: ShallowRef<T | null>
  loading: Ref<boolean>
  error: ShallowRef<unknown>
  load: () => Promise<void>
}

/** Loads data for a view, reporting failures; a later load supersedes an earlier one. */
export function useLoader<T>(fetch: () => Promise<T>): Loader<T> {
  const data = shallowRef<T | null>(null)
  const loading = ref(false)
  const error = shallowRef<unknown>(null)
  let generation = 0

  async function load(): Promise<void> {
    const mine = ++generation
    loading.value = true
    error.value = null
    try {
      const result = await fetch()
      if (mine === generation) data.value = result
    } catch (e) {
      if (mine !== generation) return
      error.value = e
      // A 401 has already ended the session and the app is on its way to the login page.
      if (!(e instanceof ApiError && e.status === 401)) reportError(e)
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  return { data, loading, error, load }
}
