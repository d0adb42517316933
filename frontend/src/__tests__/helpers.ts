import { vi } from 'vitest'
import type { Component } from 'vue'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import type { Router } from 'vue-router'
import type { CompoundDetail, HoldingView, Me, MembershipView, Role, TokenResponse } from '@/api/types'
import { i18n } from '@/i18n'
import { NO_COMMUNITY, NO_COMPOUND, useAuthStore, type CommunityCan, type CompoundCan, type GlobalCan } from '@/stores/auth'

export interface RecordedRequest {
  method: string
  /** Path below /api/v1. */
  path: string
  query: URLSearchParams
  headers: Headers
  /** Parsed JSON for JSON bodies, the raw body (a Blob) otherwise. */
  body: unknown
}

export type Handler = (req: RecordedRequest) => Response | Promise<Response>

/** Replaces global fetch with `handler`; returns the list of requests it received. */
export function mockFetch(handler: Handler): RecordedRequest[] {
  const calls: RecordedRequest[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(new URL(String(input), 'http://localhost'), init)
      const url = new URL(request.url)
      const headers = request.headers
      let body: unknown
      if (request.body !== null) body = headers.get('Content-Type') === 'application/json' ? JSON.parse(await request.text()) : await request.blob()
      const req: RecordedRequest = {
        method: request.method,
        path: url.pathname.replace(/^\/api\/v1/, ''),
        query: url.searchParams,
        headers,
        body,
      }
      calls.push(req)
      return handler(req)
    }),
  )
  return calls
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  })
}

export function apiError(status: number, code: string, message: string, extra: Record<string, unknown> = {}): Response {
  return json(status, { error: { code, message, ...extra } })
}

export function tokens(n: number): TokenResponse {
  return { access_token: `access-${n}`, refresh_token: `refresh-${n}`, token_type: 'Bearer', expires_in: 900 }
}

let nextId = 1

export function membership(role: Role, scope: { community_id?: number; compound_id?: number } = {}): MembershipView {
  return {
    id: nextId++,
    user_id: 1,
    role,
    community_id: scope.community_id ?? null,
    community_name: scope.community_id ? '太阳城社区' : null,
    compound_id: scope.compound_id ?? null,
    compound_name: scope.compound_id ? '太阳城二期' : null,
    party_id: null,
    party_name: null,
    party_kind: null,
  }
}

export function holding(compoundId: number, areas: string[]): HoldingView {
  return {
    holder_id: nextId++,
    holder_key: `H${compoundId}-001`,
    holder_name: '王秀英',
    compound_id: compoundId,
    compound_name: '太阳城二期',
    community_id: 1,
    community_name: '太阳城社区',
    units: areas.map((area, i) => ({
      id: nextId++,
      compound_id: compoundId,
      building_id: 1,
      building_name: '3号楼',
      number: `2-30${i + 1}`,
      area,
      area_source: 'registered',
      holder_id: 1,
      holder_key: `H${compoundId}-001`,
      holder_name: '王秀英',
    })),
    total_area: '0.00',
    linked_at: '2024-05-01T08:00:00Z',
  }
}

/** What the server allows in a compound: nothing but `flags`. */
export function compoundCan(flags: Partial<CompoundCan> = {}): CompoundCan {
  return { ...NO_COMPOUND, ...flags }
}

/** What the server allows in a community as a whole: nothing but `flags`. */
export function communityCan(flags: Partial<CommunityCan> = {}): CommunityCan {
  return { ...NO_COMMUNITY, ...flags }
}

/** What `/me` says the user may do: nothing but what `access` lists. */
export interface Access {
  can?: Partial<GlobalCan>
  compounds?: Record<number, Partial<CompoundCan>>
  communities?: Record<number, Partial<CommunityCan>>
}

export function me(memberships: MembershipView[] = [], holdings: HoldingView[] = [], access: Access = {}): Me {
  return {
    can: { manage_tenancy: false, view_audit: false, grant_roles: [], compound: compoundCan(), community: communityCan(), ...access.can },
    compounds: Object.entries(access.compounds ?? {}).map(([id, flags]) => ({ compound_id: Number(id), community_id: 1, can: compoundCan(flags) })),
    communities: Object.entries(access.communities ?? {}).map(([id, flags]) => ({ community_id: Number(id), can: communityCan(flags) })),
    user: {
      id: 1,
      username: 'user',
      phone: null,
      display_name: '测试用户',
      is_active: true,
      created_at: '2024-01-01T00:00:00Z',
    },
    memberships,
    holdings,
  }
}

/** Compound 7 of community 1, as GET /compounds/7 describes it. */
export const compoundDetail: CompoundDetail = {
  compound: { id: 7, community_id: 1, name: '太阳城二期', address: null, buildings: 3, units: 120, holders: 110, total_area: '10880.25', notice_days: 15, publicity_days: 7 },
  community: { id: 1, name: '太阳城社区', address: null },
  buildings: [],
  parties: [],
}

/** A clean page for each test: nobody signed in, fetch and spies reset, an empty body, a new store, Chinese. */
export function freshPage(): Pinia {
  localStorage.clear()
  vi.unstubAllGlobals()
  vi.clearAllMocks()
  document.body.innerHTML = ''
  const pinia = createPinia()
  setActivePinia(pinia)
  i18n.global.locale.value = 'zh-CN'
  return pinia
}

/** Goes to `path` and mounts `component` there, attached to the document, once its first requests have settled. */
export async function openAt(component: Component, router: Router, path: string, pinia: Pinia): Promise<VueWrapper> {
  await router.push(path)
  await router.isReady()
  const wrapper = mount(component, { global: { plugins: [pinia, router, i18n] }, attachTo: document.body })
  await settle()
  return wrapper
}

/** Waits for pending requests and for the parts of a page that load when shown (async components). */
export async function settle(): Promise<void> {
  await flushPromises()
  await vi.dynamicImportSettled()
  await flushPromises()
}

/** An element anywhere in the document (sheets and dialogs are teleported out of the wrapper). */
export function inDocument(testid: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-testid="${testid}"]`)
}

/** Signs in with membership `m` and the flags the server sends a clerk of compound 7 who keeps
 * its roster and verifies owners (and, in the community office, recovers accounts). */
export function signInAsClerk(m: MembershipView): void {
  const auth = useAuthStore()
  auth.setTokens(tokens(1))
  const office = m.compound_id === null
  auth.me = me([m], [], {
    compounds: { 7: { view_roster: true, import_roster: true, verify_owners: true } },
    communities: { 1: { view_community: true, recover_accounts: office } },
  })
}
