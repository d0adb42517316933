import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { client, sessionClient, unwrap, useTokenHolder } from '@/api/client'
import { ApiError } from '@/api/http'
import type { HoldingView, Me, MembershipView, RegisterRequest, TokenResponse } from '@/api/types'

export const ACCESS_KEY = 'sanfang.access_token'
export const REFRESH_KEY = 'sanfang.refresh_token'
/** This browser's device token per account, by the login as typed: it spares a device that has
 * signed in before the back-off that others' wrong guesses at the account cause. */
export const DEVICES_KEY = 'sanfang.devices'

function devices(): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(DEVICES_KEY) ?? '{}')
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {}
  } catch {
    return {}
  }
}

/** What the server says the user may do in one compound, in one community, and everywhere. */
export type CompoundCan = Me['compounds'][number]['can']
export type CommunityCan = Me['communities'][number]['can']
export type GlobalCan = Me['can']
type Flag<T> = { [K in keyof T]: T[K] extends boolean ? K : never }[keyof T]
export type CompoundFlag = Flag<CompoundCan>
export type CommunityFlag = Flag<CommunityCan>
export type GlobalFlag = Flag<GlobalCan>

/** Nothing allowed: before `/me` has loaded. */
export const NO_COMPOUND: CompoundCan = {
  view_roster: false,
  import_roster: false,
  verify_owners: false,
  view_audit: false,
  manage_votes: false,
  count_paper: false,
  raise_concern: false,
  view_concerns: false,
  open_agendas: false,
  manage_questionnaires: false,
  view_published_notices: false,
  publish_as: [],
}
export const NO_COMMUNITY: CommunityCan = {
  view_community: false,
  view_audit: false,
  view_concern_dashboard: false,
  manage_concern_categories: false,
  open_agendas: false,
  recover_accounts: false,
}
const NOTHING: GlobalCan = { manage_tenancy: false, view_audit: false, grant_roles: [], compound: NO_COMPOUND, community: NO_COMMUNITY }

export const useAuthStore = defineStore('auth', () => {
  const accessToken = ref<string | null>(localStorage.getItem(ACCESS_KEY))
  const refreshToken = ref<string | null>(localStorage.getItem(REFRESH_KEY))
  const me = shallowRef<Me | null>(null)

  const isLoggedIn = computed(() => accessToken.value !== null)
  const memberships = computed<MembershipView[]>(() => me.value?.memberships ?? [])
  const holdings = computed<HoldingView[]>(() => me.value?.holdings ?? [])
  const isOwner = computed(() => holdings.value.length > 0 || memberships.value.some((m) => m.role === 'owner'))
  const isStaff = computed(() => memberships.value.some((m) => m.role !== 'owner'))

  const can = computed<GlobalCan>(() => me.value?.can ?? NOTHING)

  /** Where the "manage" tab leads: the first place this user administers. */
  const manageTarget = computed<string | null>(() => {
    for (const m of memberships.value) {
      if (m.role === 'owner') continue
      if (m.compound_id) return `/compounds/${m.compound_id}`
      if (m.community_id) return `/community/${m.community_id}`
      if (can.value.manage_tenancy) return '/admin'
    }
    return null
  })

  /** What the user may do in compound `id`, as the server says. */
  function compoundCan(id: number): CompoundCan {
    return me.value?.compounds.find((c) => c.compound_id === id)?.can ?? can.value.compound
  }

  /** What the user may do in community `id` as a whole, as the server says. */
  function communityCan(id: number): CommunityCan {
    return me.value?.communities.find((c) => c.community_id === id)?.can ?? can.value.community
  }

  function setTokens(tokens: TokenResponse): void {
    accessToken.value = tokens.access_token
    refreshToken.value = tokens.refresh_token
    localStorage.setItem(ACCESS_KEY, tokens.access_token)
    localStorage.setItem(REFRESH_KEY, tokens.refresh_token)
  }

  function clearSession(): void {
    accessToken.value = null
    refreshToken.value = null
    me.value = null
    localStorage.removeItem(ACCESS_KEY)
    localStorage.removeItem(REFRESH_KEY)
  }

  async function loadMe(): Promise<Me> {
    const loaded = await unwrap(client.GET('/api/v1/me'))
    me.value = loaded
    return loaded
  }

  async function login(loginName: string, password: string): Promise<void> {
    const key = loginName.trim().toLowerCase()
    const tokens = await unwrap(
      sessionClient.POST('/api/v1/auth/login', { body: { login: loginName, password, device: devices()[key] ?? null } }),
    )
    if (tokens.device) localStorage.setItem(DEVICES_KEY, JSON.stringify({ ...devices(), [key]: tokens.device }))
    setTokens(tokens)
    await loadMe()
  }

  async function register(body: RegisterRequest): Promise<void> {
    setTokens(await unwrap(sessionClient.POST('/api/v1/auth/register', { body })))
    await loadMe()
  }

  let refreshing: Promise<boolean> | null = null

  /**
   * Trades the refresh token for a new pair; the server spends the old one, so
   * concurrent callers share one request. Resolves false (and clears the
   * session) when the server refuses; network and server faults are thrown.
   */
  function refresh(): Promise<boolean> {
    if (refreshing) return refreshing
    const token = refreshToken.value
    if (!token) return Promise.resolve(false)
    refreshing = (async () => {
      try {
        setTokens(await unwrap(sessionClient.POST('/api/v1/auth/refresh', { body: { refresh_token: token } })))
        return true
      } catch (e) {
        if (e instanceof ApiError && e.status >= 400 && e.status < 500) {
          clearSession()
          return false
        }
        throw e
      } finally {
        refreshing = null
      }
    })()
    return refreshing
  }

  async function logout(): Promise<void> {
    const token = refreshToken.value
    const access = accessToken.value
    clearSession()
    if (!token) return
    try {
      await sessionClient.POST('/api/v1/auth/logout', {
        body: { refresh_token: token },
        headers: access ? { Authorization: `Bearer ${access}` } : {},
      })
    } catch (e) {
      // The local session is gone either way; an unrevoked refresh token expires on its own.
      console.warn('logout: the server did not revoke the refresh token', e)
    }
  }

  useTokenHolder({ accessToken: () => accessToken.value, refresh, clear: clearSession })

  if (typeof window !== 'undefined') {
    // Keep tabs in step: a login, logout or rotation in one tab applies to all.
    window.addEventListener('storage', (event) => {
      if (event.key !== null && event.key !== ACCESS_KEY && event.key !== REFRESH_KEY) return
      accessToken.value = localStorage.getItem(ACCESS_KEY)
      refreshToken.value = localStorage.getItem(REFRESH_KEY)
      if (!accessToken.value) me.value = null
    })
  }

  return {
    accessToken,
    refreshToken,
    me,
    isLoggedIn,
    memberships,
    holdings,
    isOwner,
    isStaff,
    can,
    manageTarget,
    setTokens,
    clearSession,
    loadMe,
    login,
    register,
    refresh,
    logout,
    compoundCan,
    communityCan,
  }
})
