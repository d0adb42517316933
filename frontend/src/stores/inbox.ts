import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import { client, unwrap } from '@/api/client'
import type { InboxItem } from '@/api/types'
import { i18n } from '@/i18n'
import { useSettingsStore } from '@/stores/settings'

/** My notices and how many are unread, for the inbox page and the tab bar's badge. */
export const useInboxStore = defineStore('inbox', () => {
  const items = shallowRef<InboxItem[] | null>(null)
  const loading = ref(false)
  const unread = computed(() => (items.value ?? []).filter((n) => !n.read_at).length)

  // The read in flight, if any: a refresh waits for it and then reads again.
  let inFlight: Promise<InboxItem[]> | null = null

  async function load(): Promise<InboxItem[]> {
    loading.value = true
    const read = unwrap(client.GET('/api/v1/me/inbox'))
    inFlight = read
    try {
      const loaded = await read
      // An older read answering late does not overwrite a newer one.
      if (inFlight === read) items.value = loaded
      return loaded
    } finally {
      if (inFlight === read) {
        inFlight = null
        loading.value = false
      }
    }
  }

  /** Marks a notice read, here at once and then on the server. */
  async function markRead(id: number): Promise<void> {
    const list = items.value
    const item = list?.find((n) => n.id === id)
    if (!item || item.read_at) return
    const readAt = new Date().toISOString()
    items.value = (list ?? []).map((n) => (n.id === id ? { ...n, read_at: readAt } : n))
    try {
      await client.POST('/api/v1/me/inbox/{id}/read', { params: { path: { id } } })
    } catch (e) {
      items.value = (items.value ?? []).map((n) => (n.id === id ? { ...n, read_at: null } : n))
      throw e
    }
  }

  /**
   * Reads the list again, so that the unread count follows even if the list was never read here.
   * Once the user has answered, voted, co-signed, commented or taken a step on a concern, the
   * server has read the notice that asked for it: the badge follows. A read already in flight may
   * predate the action, so this one comes after it. Never throws: the action itself succeeded.
   */
  async function refresh(): Promise<void> {
    try {
      await inFlight?.catch(() => undefined)
      await load()
    } catch (e) {
      console.warn('inbox: could not refresh the unread count', e)
    }
  }

  /** Forgets the list, and the answer of any read still in flight. */
  function clear(): void {
    items.value = null
    inFlight = null
    loading.value = false
  }

  // The server writes notices in the reader's language: after a switch, the ones held here are
  // in the old one, so they are dropped and read again once the account keeps the new one (the
  // server writes in the account's language, whatever the request asks).
  const settings = useSettingsStore()
  watch(
    () => i18n.global.locale.value,
    () => {
      if (items.value === null) return
      clear()
      settings.languageSaved().then(load).catch((e: unknown) => console.warn('inbox: reloading in the new language failed', e))
    },
  )

  return { items, loading, unread, load, refresh, markRead, clear }
})
