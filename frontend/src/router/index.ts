import { createRouter, createWebHistory, type RouteLocationNormalized, type Router, type RouterHistory } from 'vue-router'
import { showNotify } from 'vant'
import { ApiError } from '@/api/http'
import { warm } from '@/api/client'
import { reportError } from '@/composables/report'
import { loadMessages, t } from '@/i18n'
import type { MessageArea } from '@/locales/areas'
import { type CommunityFlag, type CompoundFlag, type GlobalFlag, useAuthStore } from '@/stores/auth'

export type Tab = 'home' | 'units' | 'inbox' | 'manage' | 'settings'

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title. */
    title?: string
    requiresAuth?: boolean
    /** Only for visitors who are not logged in (login, sign-up). */
    guestOnly?: boolean
    /**
     * What the server must allow the user (a `can` flag of `/me`): in the compound or the
     * community named by the `id` parameter, or anywhere.
     */
    can?: { compound: CompoundFlag } | { community: CommunityFlag } | { global: GlobalFlag }
    /** The tab highlighted in the tab bar. */
    tab?: Tab
    /** A tab's own page: no back arrow. */
    root?: boolean
    /** A screen of its own (the room's projector): no header, navigation or tab bar. */
    bare?: boolean
    /** The messages the page needs (src/locales/areas.ts); without one, it loads them all. */
    messages?: MessageArea
    /** The API paths the page reads first, started as navigation begins (see `warm`). */
    warm?: (to: RouteLocationNormalized) => string[]
  }
}

export const routes = [
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { title: 'login.title', guestOnly: true, messages: 'guest' } },
  { path: '/register', name: 'register', component: () => import('@/views/RegisterView.vue'), meta: { title: 'register.title', guestOnly: true, messages: 'guest' } },
  { path: '/recover', name: 'recover', component: () => import('@/views/RecoverView.vue'), meta: { title: 'recover.title', guestOnly: true, messages: 'guest' } },
  { path: '/', name: 'home', component: () => import('@/views/HomeView.vue'), meta: { title: 'home.title', requiresAuth: true, tab: 'home', root: true, messages: 'home' } },
  { path: '/units', name: 'my-units', component: () => import('@/views/MyUnitsView.vue'), meta: { title: 'myUnits.title', requiresAuth: true, tab: 'units', root: true, messages: 'home' } },
  { path: '/inbox', name: 'inbox', component: () => import('@/views/InboxView.vue'), meta: { title: 'inbox.title', requiresAuth: true, tab: 'inbox', root: true, messages: 'home' } },
  // Notices about an account's homes link to /me.
  { path: '/me', redirect: { name: 'my-units' } },
  { path: '/redeem', name: 'redeem', component: () => import('@/views/RedeemView.vue'), meta: { title: 'redeem.title', requiresAuth: true, tab: 'units', messages: 'home' } },
  { path: '/settings', name: 'settings', component: () => import('@/views/SettingsView.vue'), meta: { title: 'settings.title', requiresAuth: true, tab: 'settings', root: true, messages: 'home' } },
  {
    path: '/community/:id(\\d+)',
    name: 'community',
    component: () => import('@/views/CommunityView.vue'),
    meta: { title: 'community.title', requiresAuth: true, can: { community: 'view_community' }, tab: 'manage', root: true },
  },
  {
    path: '/compounds/:id(\\d+)',
    name: 'compound',
    component: () => import('@/views/CompoundView.vue'),
    meta: { title: 'compound.title', requiresAuth: true, tab: 'manage' },
  },
  {
    path: '/compounds/:id(\\d+)/units',
    name: 'compound-units',
    component: () => import('@/views/CompoundUnitsView.vue'),
    meta: { title: 'compoundUnits.title', requiresAuth: true, can: { compound: 'view_roster' }, tab: 'manage' },
  },
  {
    path: '/compounds/:id(\\d+)/holders',
    name: 'holders',
    component: () => import('@/views/HoldersView.vue'),
    meta: { title: 'holders.title', requiresAuth: true, can: { compound: 'view_roster' }, tab: 'manage' },
  },
  {
    path: '/compounds/:id(\\d+)/confirmations',
    name: 'confirmations',
    component: () => import('@/views/ConfirmationsView.vue'),
    meta: { title: 'confirmations.title', requiresAuth: true, can: { compound: 'verify_owners' }, tab: 'manage' },
  },
  {
    path: '/compounds/:id(\\d+)/roster',
    name: 'roster',
    component: () => import('@/views/RosterView.vue'),
    meta: { title: 'roster.title', requiresAuth: true, can: { compound: 'import_roster' }, tab: 'manage' },
  },
  {
    path: '/compounds/:id(\\d+)/votes',
    name: 'votes',
    component: () => import('@/views/VoteListView.vue'),
    meta: { title: 'votes.listTitle', requiresAuth: true, tab: 'home', messages: 'vote' },
  },
  {
    path: '/compounds/:id(\\d+)/votes/new',
    name: 'vote-new',
    component: () => import('@/views/VoteFormView.vue'),
    meta: { title: 'votes.form.newTitle', requiresAuth: true, can: { compound: 'manage_votes' }, tab: 'home' },
  },
  {
    path: '/compounds/:id(\\d+)/proxies',
    name: 'proxies',
    component: () => import('@/views/ProxiesView.vue'),
    meta: { title: 'proxies.title', requiresAuth: true, can: { compound: 'count_paper' }, tab: 'manage' },
  },
  // A vote's compound is known only once it is loaded: these pages ask the server what the user may do.
  { path: '/votes/:id(\\d+)', name: 'vote', component: () => import('@/views/VoteView.vue'), meta: { title: 'votes.title', requiresAuth: true, tab: 'home', messages: 'vote', warm: (to) => [`/api/v1/votes/${String(to.params.id)}`] } },
  { path: '/votes/:id(\\d+)/edit', name: 'vote-edit', component: () => import('@/views/VoteFormView.vue'), meta: { title: 'votes.form.editTitle', requiresAuth: true, tab: 'home' } },
  { path: '/votes/:id(\\d+)/ballots', name: 'vote-ballots', component: () => import('@/views/BallotsView.vue'), meta: { title: 'ballots.title', requiresAuth: true, tab: 'home' } },
  { path: '/votes/:id(\\d+)/paper', name: 'vote-paper', component: () => import('@/views/PaperBallotsView.vue'), meta: { title: 'paper.title', requiresAuth: true, tab: 'home' } },
  { path: '/admin', name: 'admin', component: () => import('@/views/AdminView.vue'), meta: { title: 'admin.title', requiresAuth: true, can: { global: 'manage_tenancy' }, tab: 'manage', root: true } },
  { path: '/admin/users', name: 'admin-users', component: () => import('@/views/AdminUsersView.vue'), meta: { title: 'users.title', requiresAuth: true, can: { global: 'manage_tenancy' }, tab: 'manage' } },
  { path: '/audit', name: 'audit', component: () => import('@/views/AuditView.vue'), meta: { title: 'audit.title', requiresAuth: true, can: { global: 'view_audit' }, tab: 'manage' } },
  { path: '/compounds/:id(\\d+)/concerns', name: 'concerns', component: () => import('@/views/ConcernListView.vue'), meta: { title: 'concerns.listTitle', requiresAuth: true, tab: 'home', messages: 'concern' } },
  { path: '/compounds/:id(\\d+)/concerns/new', name: 'concern-new', component: () => import('@/views/ConcernFormView.vue'), meta: { title: 'concerns.newTitle', requiresAuth: true, can: { compound: 'raise_concern' }, tab: 'home', messages: 'concern', warm: (to) => [`/api/v1/compounds/${String(to.params.id)}`] } },
  { path: '/concerns/:id(\\d+)', name: 'concern', component: () => import('@/views/ConcernView.vue'), meta: { title: 'concerns.title', requiresAuth: true, tab: 'home', messages: 'concern' } },
  { path: '/compounds/:id(\\d+)/agendas', name: 'agendas', component: () => import('@/views/AgendaListView.vue'), meta: { title: 'agendas.listTitle', requiresAuth: true, tab: 'home', messages: 'agenda' } },
  {
    path: '/compounds/:id(\\d+)/agendas/new',
    name: 'agenda-new',
    component: () => import('@/views/AgendaFormView.vue'),
    meta: { title: 'agendas.newTitle', requiresAuth: true, can: { compound: 'open_agendas' }, tab: 'home' },
  },
  { path: '/agendas/:id(\\d+)', name: 'agenda', component: () => import('@/views/AgendaView.vue'), meta: { title: 'agendas.title', requiresAuth: true, tab: 'home', messages: 'agenda' } },
  {
    path: '/community/:id(\\d+)/dashboard',
    name: 'concern-dashboard',
    component: () => import('@/views/ConcernDashboardView.vue'),
    meta: { title: 'dashboard.title', requiresAuth: true, can: { community: 'view_concern_dashboard' }, tab: 'manage' },
  },
  {
    path: '/compounds/:id(\\d+)/questionnaires',
    name: 'questionnaires',
    component: () => import('@/views/QuestionnaireListView.vue'),
    meta: { title: 'questionnaires.listTitle', requiresAuth: true, tab: 'home', messages: 'questionnaire' },
  },
  {
    path: '/compounds/:id(\\d+)/questionnaires/new',
    name: 'questionnaire-new',
    component: () => import('@/views/QuestionnaireFormView.vue'),
    meta: { title: 'questionnaires.form.newTitle', requiresAuth: true, can: { compound: 'manage_questionnaires' }, tab: 'home' },
  },
  { path: '/questionnaires/:id(\\d+)', name: 'questionnaire', component: () => import('@/views/QuestionnaireView.vue'), meta: { title: 'questionnaires.title', requiresAuth: true, tab: 'home', messages: 'questionnaire', warm: (to) => [`/api/v1/questionnaires/${String(to.params.id)}`] } },
  { path: '/questionnaires/:id(\\d+)/edit', name: 'questionnaire-edit', component: () => import('@/views/QuestionnaireFormView.vue'), meta: { title: 'questionnaires.form.editTitle', requiresAuth: true, tab: 'home' } },
  { path: '/questionnaires/:id(\\d+)/results', name: 'questionnaire-results', component: () => import('@/views/QuestionnaireResultsView.vue'), meta: { title: 'questionnaires.results.title', requiresAuth: true, tab: 'home' } },
  {
    path: '/compounds/:id(\\d+)/notices',
    name: 'notices',
    component: () => import('@/views/NoticesView.vue'),
    meta: { title: 'notices.listTitle', requiresAuth: true, can: { compound: 'view_published_notices' }, tab: 'manage' },
  },
  { path: '/compounds/:id(\\d+)/meetings', name: 'meetings', component: () => import('@/views/MeetingListView.vue'), meta: { title: 'meetings.listTitle', requiresAuth: true, tab: 'home' } },
  // Who may convene which kind is the server's say: it refuses with its reason, which the form shows.
  { path: '/communities/:id(\\d+)/meetings/new', name: 'meeting-new', component: () => import('@/views/MeetingFormView.vue'), meta: { title: 'meetings.newTitle', requiresAuth: true, tab: 'home' } },
  { path: '/meetings/:id(\\d+)', name: 'meeting', component: () => import('@/views/MeetingView.vue'), meta: { title: 'meetings.title', requiresAuth: true, tab: 'home' } },
  // The live meeting: the room's screen, the chair's desk, signing in by the room's code, following on a phone;
  // and the action items its decisions set going.
  { path: '/meetings/:id(\\d+)/room', name: 'meeting-room', component: () => import('@/views/MeetingRoomView.vue'), meta: { title: 'meetingLive.room.title', requiresAuth: true, bare: true } },
  { path: '/meetings/:id(\\d+)/chair', name: 'meeting-chair', component: () => import('@/views/MeetingChairView.vue'), meta: { title: 'meetingLive.chair.title', requiresAuth: true, tab: 'manage' } },
  { path: '/meetings/:id(\\d+)/sign-in', name: 'meeting-sign-in', component: () => import('@/views/MeetingSignInView.vue'), meta: { title: 'meetingLive.signIn.title', requiresAuth: true, tab: 'home' } },
  { path: '/meetings/:id(\\d+)/live', name: 'meeting-live', component: () => import('@/views/MeetingLiveView.vue'), meta: { title: 'meetingLive.follow.title', requiresAuth: true, tab: 'home' } },
  // A held meeting's minutes: drafted from its record, corrected by those who attended, signed seat by seat,
  // published to the compound; their earlier versions, and the A4 sheet they are printed on.
  { path: '/meetings/:id(\\d+)/minutes', name: 'minutes', component: () => import('@/views/MinutesView.vue'), meta: { title: 'minutes.title', requiresAuth: true, tab: 'home' } },
  { path: '/meetings/:id(\\d+)/minutes/versions/:version(\\d+)', name: 'minutes-version', component: () => import('@/views/MinutesVersionView.vue'), meta: { title: 'minutes.versionTitle', requiresAuth: true, tab: 'home' } },
  { path: '/meetings/:id(\\d+)/minutes/print', name: 'minutes-print', component: () => import('@/views/MinutesPrintView.vue'), meta: { title: 'minutes.printTitle', requiresAuth: true, bare: true } },
  { path: '/compounds/:id(\\d+)/minutes', name: 'compound-minutes', component: () => import('@/views/MinutesListView.vue'), meta: { title: 'minutes.listTitle', requiresAuth: true, tab: 'home' } },
  // Conventions (管理规约, 业主大会议事规则, 居民公约): drafted in chapters and articles, put to a consultation where the
  // audience comments and proposes amendments article by article, answered by the drafters; their versions compared,
  // and the consultation report on A4. One lazy component shows them all (ConventionPages.vue says why).
  { path: '/compounds/:id(\\d+)/conventions', name: 'conventions', component: () => import('@/views/ConventionPages.vue'), meta: { title: 'conventions.listTitle', requiresAuth: true, tab: 'home', messages: 'conventions' } },
  { path: '/compounds/:id(\\d+)/conventions/new', name: 'convention-new', component: () => import('@/views/ConventionPages.vue'), meta: { title: 'conventions.newTitle', requiresAuth: true, tab: 'home', messages: 'conventions' } },
  { path: '/communities/:id(\\d+)/conventions/new', name: 'community-convention-new', component: () => import('@/views/ConventionPages.vue'), meta: { title: 'conventions.newCommunityTitle', requiresAuth: true, tab: 'manage', messages: 'conventions' } },
  { path: '/conventions/:id(\\d+)', name: 'convention', component: () => import('@/views/ConventionPages.vue'), meta: { title: 'conventions.title', requiresAuth: true, tab: 'home', messages: 'conventions', warm: (to) => [`/api/v1/conventions/${String(to.params.id)}`] } },
  { path: '/conventions/:id(\\d+)/edit', name: 'convention-edit', component: () => import('@/views/ConventionPages.vue'), meta: { title: 'conventions.editor.title', requiresAuth: true, tab: 'home', messages: 'conventions' } },
  { path: '/conventions/:id(\\d+)/compare', name: 'convention-compare', component: () => import('@/views/ConventionPages.vue'), meta: { title: 'conventions.compare.title', requiresAuth: true, tab: 'home', messages: 'conventions' } },
  { path: '/conventions/:id(\\d+)/versions/:version(\\d+)', name: 'convention-version', component: () => import('@/views/ConventionPages.vue'), meta: { title: 'conventions.versions.pageTitle', requiresAuth: true, tab: 'home', messages: 'conventions' } },
  { path: '/conventions/:id(\\d+)/report', name: 'convention-report', component: () => import('@/views/ConventionPages.vue'), meta: { title: 'conventions.report.title', requiresAuth: true, bare: true, messages: 'conventions' } },
  // The register of conventions in force and repealed, of a compound or a community, and the text in force on A4.
  { path: '/compounds/:id(\\d+)/convention-register', name: 'convention-register', component: () => import('@/views/ConventionPages.vue'), meta: { title: 'conventions.register.title', requiresAuth: true, tab: 'home', messages: 'conventions' } },
  { path: '/communities/:id(\\d+)/convention-register', name: 'community-convention-register', component: () => import('@/views/ConventionPages.vue'), meta: { title: 'conventions.register.title', requiresAuth: true, tab: 'manage', messages: 'conventions' } },
  { path: '/conventions/:id(\\d+)/print', name: 'convention-print', component: () => import('@/views/ConventionPages.vue'), meta: { title: 'conventions.print.title', requiresAuth: true, bare: true, messages: 'conventions' } },
  { path: '/tasks/:id(\\d+)', name: 'task', component: () => import('@/views/TaskView.vue'), meta: { title: 'tasks.title', requiresAuth: true, tab: 'home' } },
  { path: '/communities/:id(\\d+)/tasks', name: 'community-tasks', component: () => import('@/views/TaskListView.vue'), meta: { title: 'tasks.listTitle', requiresAuth: true, tab: 'manage' } },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue'), meta: { title: 'notFound.title' } },
] satisfies Parameters<typeof createRouter>[0]['routes']

function loginRedirect(to: RouteLocationNormalized) {
  return { name: 'login', query: { redirect: to.fullPath } }
}

/** Whether the server allows what `to` needs, in the compound or community its `id` names. */
function allowed(to: RouteLocationNormalized): boolean {
  const need = to.meta.can
  if (!need) return true
  const auth = useAuthStore()
  const id = Number(to.params.id)
  if ('compound' in need) return auth.compoundCan(id)[need.compound]
  if ('community' in need) return auth.communityCan(id)[need.community]
  return auth.can[need.global]
}

/** Whether the visitor may go to `to` as far as signing in goes: true, or where to go instead. */
async function signIn(to: RouteLocationNormalized) {
  const auth = useAuthStore()
  if (to.meta.guestOnly) return auth.isLoggedIn ? { name: 'home' } : true
  if (!to.meta.requiresAuth) return true
  if (!auth.isLoggedIn) return loginRedirect(to)
  if (!auth.me) {
    try {
      await auth.loadMe()
    } catch (e) {
      if (!auth.isLoggedIn) return loginRedirect(to)
      if (!(e instanceof ApiError && e.status === 401)) reportError(e)
    }
    if (!auth.isLoggedIn) return loginRedirect(to)
  }
  return true
}

/**
 * Starts what the page will need while the sign-in is checked: its code (every route's component is
 * loaded lazily, and the router would fetch it only after the guard) and the data it reads first.
 */
function startPage(to: RouteLocationNormalized): void {
  for (const record of to.matched) {
    const load = record.components?.default
    if (typeof load === 'function') void (load as () => Promise<unknown>)().catch(() => undefined)
  }
  if (useAuthStore().isLoggedIn) for (const path of to.meta.warm?.(to) ?? []) warm(path)
}

/**
 * The one navigation guard: sign-in, then what the server allows in the page's compound or
 * community. The page's messages load meanwhile; it is shown once they are here.
 */
export async function guard(to: RouteLocationNormalized) {
  const messages = loadMessages(to.meta.messages ?? 'all').catch((e: unknown) => console.error('the messages could not be loaded', e))
  startPage(to)
  const verdict = await signIn(to)
  if (verdict !== true) return verdict
  await messages
  if (!allowed(to)) {
    showNotify({ type: 'warning', message: t('errors.forbidden') })
    return to.name === 'home' ? false : { name: 'home' }
  }
  return true
}

export function createAppRouter(history: RouterHistory = createWebHistory()): Router {
  const router = createRouter({
    history,
    routes,
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  })
  router.beforeEach(guard)
  return router
}
