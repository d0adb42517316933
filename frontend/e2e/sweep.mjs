// The accessibility sweep: every route of the SPA, once in each of four modes (Chinese, English,
// large text, both), on a 360×640 phone, and the staff routes once more in the desk mode: at 1366×768
// with the side navigation, 24 px targets and no sideways scroll there. A page fails on any critical or serious axe-core
// violation (and on missing landmarks or a missing or second <h1>), on a tap target under
// 44×44 px (24×24 px at a desk's 1366 px), or when it scrolls sideways at 320 px wide or with its
// text at 200 %. A page may list `states`: each opens one of its dialogs or sheets (without
// changing any data), and the page is checked again with it open: axe-core, tap targets, focus
// inside the dialog, and focus back on the page once Escape has closed it. Runs against BASE_URL (a server started with --demo, after the scenarios)
// and ends with a plain "N passed, N failed" line, one check per page and mode.
//
//   node e2e/sweep.mjs [route-name …]
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { axeViolations, sidewaysScroll, smallTargets, widestElements } from './a11y.mjs'
import { BASE_URL, CHROMIUM, DEMO_PASSWORD, openBrowser } from './lib.mjs'

const MODES = [
  // Chinese comes last, so the demo accounts end the sweep in the language they started in.
  { name: 'en', locale: 'en', largeText: false },
  { name: 'en+large', locale: 'en', largeText: true },
  { name: 'zh+large', locale: 'zh-CN', largeText: true },
  { name: 'desk', locale: 'zh-CN', largeText: false, desk: true },
  { name: 'zh', locale: 'zh-CN', largeText: false },
]
/** The accounts whose pages are staff pages, checked again in the desk mode. */
const STAFF = new Set(['committee', 'committee-bm', 'secretary', 'admin'])
const PHONE = { width: 360, height: 640 }
const NARROW = 320
const MIN_TARGET = 44
/** At a desk's width a pointer is precise: 24 px is the minimum there (WCAG 2.5.8). */
const DESK = { width: 1366, height: 768 }
const MIN_DESK_TARGET = 24

async function api(path, { token, method = 'GET', body, lang } = {}) {
  const res = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(lang ? { 'accept-language': lang } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return res.status === 204 ? null : res.json()
}

async function signIn(login) {
  return api('/auth/login', { method: 'POST', body: { login, password: DEMO_PASSWORD } })
}

const items = (page) => (Array.isArray(page) ? page : page.items)

/** The demo's ids the pages need, and a draft vote and questionnaire to edit (made once). */
async function demoIds() {
  const committee = (await signIn('committee')).access_token
  const me = await api('/me', { token: committee })
  const compound = me.memberships[0].compound_id
  const community = me.memberships[0].community_id
  const vote = items(await api(`/compounds/${compound}/votes`, { token: committee })).find((v) => v.status === 'open').id
  const questionnaire = items(await api(`/compounds/${compound}/questionnaires`, { token: committee }))[0].id

  const concern = items(await api(`/compounds/${compound}/concerns`, { token: committee }))[0].id

  const bm = (await signIn('committee-bm')).access_token
  const bmCompound = (await api('/me', { token: bm })).memberships[0].compound_id
  const agenda = items(await api(`/compounds/${bmCompound}/agendas`, { token: bm }))[0].id
  const now = Date.now()
  const window = { opens_at: new Date(now + 7 * 86_400_000).toISOString(), closes_at: new Date(now + 21 * 86_400_000).toISOString() }
  let draftVote = items(await api(`/compounds/${bmCompound}/votes`, { token: bm })).find((v) => v.status === 'draft')?.id
  draftVote ??= (
    await api(`/compounds/${bmCompound}/votes`, {
      token: bm,
      method: 'POST',
      body: { title: '增设电动自行车充电棚', body: '在北门东侧空地增设充电棚一座。', matter: 'common_use', form: 'motion', ...window },
    })
  ).id
  let draftQuestionnaire = items(await api(`/compounds/${bmCompound}/questionnaires`, { token: bm })).find((q) => q.status === 'draft')?.id
  draftQuestionnaire ??= (
    await api(`/compounds/${bmCompound}/questionnaires`, {
      token: bm,
      method: 'POST',
      body: {
        title: '充电棚选址意见',
        questions: [{ kind: 'single', text: '您支持在北门东侧建充电棚吗？', options: ['支持', '不支持'], required: true }],
        audience: 'owners',
        answer_per: 'holder',
        results_visibility: 'live',
        ...window,
      },
    })
  ).id
  // A consultation ahead in the compound, convened by the secretary: the property manager is invited to it.
  const secretary = (await signIn('secretary')).access_token
  let meeting = (await api(`/compounds/${compound}/meetings`, { token: secretary })).find((m) => m.status === 'scheduled' && new Date(m.starts_at).getTime() > now)?.id
  meeting ??= (
    await api(`/communities/${community}/meetings`, {
      token: secretary,
      method: 'POST',
      body: {
        kind: 'consultation',
        title: '北门垃圾清运三方协商',
        description: '请三方就北门垃圾清运时间和噪音问题协商。',
        compound_ids: [compound],
        starts_at: new Date(now + 10 * 86_400_000).toISOString(),
        duration_minutes: 90,
        place: '社区党群服务中心二楼会议室',
        items: [{ title: '物业说明清运安排', minutes: 20 }],
      },
    })
  ).id
  return {
    compound,
    community,
    vote,
    questionnaire,
    concern,
    agenda,
    draftVote,
    draftQuestionnaire,
    meeting,
    minutes: await heldMinutes(compound),
    ...(await liveMeeting(community, compound)),
    ...(await conventions(community, compound)),
  }
}

/**
 * The demo's conventions: the first compound's that has been consulted on (answered, with later
 * versions), and one under consultation now in another compound of the community (上河时代's).
 */
async function conventions(community, compound) {
  const committee = (await signIn('committee')).access_token
  const own = (await api(`/compounds/${compound}/conventions`, { token: committee })).filter((c) => c.compound_id === compound)
  const consulted = own.find((c) => c.phase === 'consulted') ?? own.find((c) => c.version > 1) ?? own[0]
  if (!consulted) throw new Error('the demo has no convention in the first compound')
  const secretary = (await signIn('secretary')).access_token
  const others = (await api(`/communities/${community}`, { token: secretary })).compounds.filter((c) => c.id !== compound)
  for (const other of others) {
    const open = (await api(`/compounds/${other.id}/conventions`, { token: secretary })).find((c) => c.phase === 'consulting' && c.compound_id === other.id)
    if (open) return { convention: consulted.id, conventionVersion: consulted.version, consultingConvention: open.id }
  }
  throw new Error('the demo has no convention under consultation in another compound')
}

/** A meeting of the compound that was held, with minutes: the demo's own, or drafted from its record (once). */
async function heldMinutes(compound) {
  const secretary = (await signIn('secretary')).access_token
  const held = (await api(`/compounds/${compound}/meetings`, { token: secretary })).filter((m) => m.status === 'held')
  for (const m of held) {
    const res = await fetch(`${BASE_URL}/api/v1/meetings/${m.id}/minutes`, { headers: { authorization: `Bearer ${secretary}` } })
    if (res.ok) return m.id
  }
  const [first] = held
  if (!first) throw new Error('the demo has no meeting that was held')
  await api(`/meetings/${first.id}/minutes`, { token: secretary, method: 'POST' })
  return first.id
}

/**
 * A consultation under way in the first compound, convened by the secretary, opened with
 * its first item under discussion and an action item for the property company (made once), and a
 * sign-in code for the phone's sign-in page (any code shows the page; it is checked only when used).
 */
async function liveMeeting(community, compound) {
  const secretary = (await signIn('secretary')).access_token
  const title = '物业费收支公示三方协商'
  let meeting = (await api(`/communities/${community}/meetings`, { token: secretary })).find((m) => m.title === title && m.status === 'in_progress')
  if (!meeting) {
    meeting = await api(`/communities/${community}/meetings`, {
      token: secretary,
      method: 'POST',
      body: {
        kind: 'consultation',
        title,
        description: '物业公示上年度物业费收支，三方商定公示方式。',
        compound_ids: [compound],
        starts_at: new Date(Date.now() + 10 * 60_000).toISOString(),
        duration_minutes: 60,
        place: '社区议事厅',
        items: [
          { title: '物业费收支公示', description: '公示**上年度**收支明细。', minutes: 20 },
          { title: '公示栏位置', minutes: 10 },
        ],
      },
    })
    await api(`/meetings/${meeting.id}/open`, { token: secretary, method: 'POST' })
  }
  const detail = await api(`/meetings/${meeting.id}`, { token: secretary })
  const [first] = detail.items
  if (first.status === 'pending') await api(`/meetings/${meeting.id}/items/${first.id}/open`, { token: secretary, method: 'POST' })
  let task = first.tasks[0]?.id
  if (!task) {
    const parties = (await api(`/communities/${community}`, { token: secretary })).parties
    const property = parties.find((p) => p.compound_id === compound && p.kind === 'property_company')
    const due = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10)
    task = (await api(`/meetings/${meeting.id}/items/${first.id}/tasks`, { token: secretary, method: 'POST', body: { title: '在小区公示栏张贴收支明细', party_id: property.id, due_on: due } })).id
  }
  const code = (await api(`/meetings/${meeting.id}/sign-in-code`, { token: secretary })).code
  return { liveMeeting: meeting.id, task, signInCode: code }
}

/** A state reached by tapping these test ids in turn, the last of which opens a dialog. */
function tapping(name, ...testids) {
  return {
    name,
    async open(page) {
      for (const id of testids) {
        await page.getByTestId(id).first().click()
        await page.waitForTimeout(350)
      }
    },
  }
}

/** The roster page showing the preview of a dry run (which writes nothing): a sheet with a
 * title, no area source and no holder keys, so the column choices, the area basis and the
 * proposed holders are all on screen. */
const rosterDryRun = {
  name: 'a dry run preview',
  async run(page) {
    const sheet = '业主名册,,,,,\n,,,,,\n楼栋,单元,房号,建筑面积(㎡),业主姓名,联系电话\n1,2,301,89.5,张三,139 1234 5678\n1,2,302,90,张三,139 1234 5678\n1,2,401,75,王芳,\n'
    await page.getByTestId('roster-file').setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(sheet) })
    await page.getByTestId('roster-dryrun').click()
    await page.getByTestId('roster-holders').waitFor()
  },
}

/**
 * Every route of the SPA, by its name in src/router/index.ts: who looks at it, and where, and the
 * dialogs and sheets it opens. No state confirms or saves anything: each is closed with Escape.
 */
function pages(ids) {
  const c = ids.compound
  return [
    { route: 'login', user: null, path: '/login' },
    { route: 'register', user: null, path: '/register' },
    { route: 'recover', user: null, path: '/recover' },
    { route: 'not-found', user: null, path: '/no-such-page' },
    { route: 'home', user: 'owner001', path: '/' },
    { route: 'my-units', user: 'owner001', path: '/units' },
    { route: 'inbox', user: 'owner001', path: '/inbox' },
    { route: 'settings', user: 'owner001', path: '/settings', states: [tapping('logout confirm', 'logout-button')] },
    { route: 'redeem', user: 'owner001', path: '/redeem' },
    { route: 'votes', user: 'owner001', path: `/compounds/${c}/votes` },
    { route: 'vote', user: 'owner001', path: `/votes/${ids.vote}`, states: [tapping('ballot confirm', 'go-vote', 'choice-agree')] },
    {
      route: 'vote',
      user: 'committee',
      path: `/votes/${ids.vote}`,
      states: [tapping('extend sheet', 'vote-extend'), tapping('cancel sheet', 'vote-cancel')],
    },
    { route: 'vote-ballots', user: 'owner001', path: `/votes/${ids.vote}/ballots` },
    { route: 'questionnaires', user: 'owner001', path: `/compounds/${c}/questionnaires` },
    { route: 'questionnaire', user: 'owner001', path: `/questionnaires/${ids.questionnaire}` },
    { route: 'questionnaire-results', user: 'owner001', path: `/questionnaires/${ids.questionnaire}/results` },
    { route: 'concerns', user: 'owner001', path: `/compounds/${c}/concerns` },
    {
      route: 'concern-new',
      user: 'owner001',
      path: `/compounds/${c}/concerns/new`,
      states: [{ name: 'category picker', open: (page) => page.getByTestId('concern-category').locator('.van-cell').click() }],
    },
    { route: 'concern', user: 'committee', path: `/concerns/${ids.concern}` },
    { route: 'agendas', user: 'owner001', path: `/compounds/${c}/agendas` },
    { route: 'agenda', user: 'owner-bm01', path: `/agendas/${ids.agenda}` },
    { route: 'compound', user: 'committee', path: `/compounds/${c}` },
    { route: 'compound-units', user: 'committee', path: `/compounds/${c}/units`, states: [tapping('history sheet', 'unit-row')] },
    { route: 'holders', user: 'committee', path: `/compounds/${c}/holders`, states: [tapping('holder sheet', 'holder-row')] },
    { route: 'confirmations', user: 'committee', path: `/compounds/${c}/confirmations` },
    { route: 'roster', user: 'committee', path: `/compounds/${c}/roster` },
    { route: 'roster', user: 'secretary', path: `/compounds/${c}/roster`, prepare: rosterDryRun },
    { route: 'vote-new', user: 'committee', path: `/compounds/${c}/votes/new` },
    { route: 'vote-paper', user: 'committee', path: `/votes/${ids.vote}/paper` },
    { route: 'proxies', user: 'secretary', path: `/compounds/${c}/proxies`, states: [tapping('proxy form', 'proxy-new')] },
    { route: 'questionnaire-new', user: 'committee', path: `/compounds/${c}/questionnaires/new` },
    { route: 'notices', user: 'committee', path: `/compounds/${c}/notices` },
    { route: 'agenda-new', user: 'committee', path: `/compounds/${c}/agendas/new` },
    { route: 'vote-edit', user: 'committee-bm', path: `/votes/${ids.draftVote}/edit` },
    { route: 'questionnaire-edit', user: 'committee-bm', path: `/questionnaires/${ids.draftQuestionnaire}/edit` },
    { route: 'community', user: 'secretary', path: `/community/${ids.community}` },
    { route: 'meetings', user: 'owner001', path: `/compounds/${c}/meetings` },
    { route: 'meetings', user: 'secretary', path: `/compounds/${c}/meetings`, deskOnly: true },
    {
      route: 'meeting-new',
      user: 'secretary',
      path: `/communities/${ids.community}/meetings/new`,
      states: [tapping('chair picker', 'meeting-chair-field'), tapping('item source picker', 'item-add', 'item-source')],
    },
    { route: 'meeting', user: 'property', path: `/meetings/${ids.meeting}` },
    // The property manager's home opens with the meeting invitations.
    { route: 'home', user: 'property', path: '/' },
    {
      route: 'meeting',
      user: 'secretary',
      path: `/meetings/${ids.meeting}`,
      states: [tapping('postpone sheet', 'meeting-postpone'), tapping('cancel sheet', 'meeting-cancel')],
    },
    // The meeting under way, as its chair sees it: the papers, and an item handed on to a vote or a questionnaire.
    { route: 'meeting', user: 'secretary', path: `/meetings/${ids.liveMeeting}`, live: true, states: [tapping('hand-off sheet', 'item-handoff')] },
    // The secretary's home opens with the desk, on phones too; the lists only in the desk mode (the same
    // pages are checked as an owner on phones).
    { route: 'home', user: 'secretary', path: '/' },
    { route: 'concerns', user: 'secretary', path: `/compounds/${c}/concerns?status=submitted`, deskOnly: true },
    { route: 'agendas', user: 'secretary', path: `/compounds/${c}/agendas`, deskOnly: true },
    {
      route: 'concern-dashboard',
      user: 'secretary',
      path: `/community/${ids.community}/dashboard`,
      states: [tapping('category editor', 'category-row')],
    },
    {
      route: 'admin',
      user: 'admin',
      path: '/admin',
      states: [
        {
          name: 'party rename',
          async open(page) {
            await page.getByTestId('admin-community-item').first().locator('.van-collapse-item__title').click()
            await page.getByTestId('party-row').first().click()
          },
        },
      ],
    },
    {
      route: 'admin-users',
      user: 'admin',
      path: '/admin/users',
      states: [tapping('user editor', 'user-row'), tapping('new user sheet', 'user-create-open')],
    },
    { route: 'audit', user: 'admin', path: '/audit' },
    // The live meeting: pages that keep a stream open settle on their content, not on a quiet network.
    { route: 'meeting-room', user: 'secretary', path: `/meetings/${ids.liveMeeting}/room`, bare: true, live: true },
    { route: 'meeting-chair', user: 'secretary', path: `/meetings/${ids.liveMeeting}/chair`, live: true, states: [tapping('close confirm', 'meeting-close')] },
    { route: 'meeting-sign-in', user: 'property', path: `/meetings/${ids.liveMeeting}/sign-in?code=${ids.signInCode}` },
    { route: 'meeting-live', user: 'property', path: `/meetings/${ids.liveMeeting}/live`, live: true },
    // The minutes of a held meeting, as its recorder and as an owner of the compound; an earlier version; the
    // A4 sheet they are printed on; the compound's published minutes.
    { route: 'minutes', user: 'secretary', path: `/meetings/${ids.minutes}/minutes` },
    { route: 'minutes', user: 'owner001', path: `/meetings/${ids.minutes}/minutes` },
    { route: 'minutes-version', user: 'secretary', path: `/meetings/${ids.minutes}/minutes/versions/1` },
    { route: 'minutes-print', user: 'secretary', path: `/meetings/${ids.minutes}/minutes/print`, bare: true },
    { route: 'compound-minutes', user: 'owner001', path: `/compounds/${c}/minutes` },
    // Conventions: the compound's list, as an owner and as the committee (who may draft); drafting one, for the compound
    // and community-wide; the consulted one as an owner (its comments) and as its drafters; one under consultation as
    // the community office, which may comment on it too (the comment and amendment sheets); the editor, a comparison, a
    // version, and the report on A4.
    { route: 'conventions', user: 'owner001', path: `/compounds/${c}/conventions` },
    { route: 'conventions', user: 'committee', path: `/compounds/${c}/conventions` },
    { route: 'convention-new', user: 'committee', path: `/compounds/${c}/conventions/new` },
    { route: 'community-convention-new', user: 'secretary', path: `/communities/${ids.community}/conventions/new` },
    { route: 'convention', user: 'owner001', path: `/conventions/${ids.convention}`, states: [tapping('comments sheet', 'article-comments-open')] },
    { route: 'convention', user: 'committee', path: `/conventions/${ids.convention}`, states: [tapping('comments sheet', 'article-comments-open')] },
    {
      route: 'convention',
      user: 'secretary',
      path: `/conventions/${ids.consultingConvention}`,
      states: [tapping('comment sheet', 'article-comment'), tapping('amendment sheet', 'article-amend')],
    },
    { route: 'convention-edit', user: 'committee', path: `/conventions/${ids.convention}/edit` },
    { route: 'convention-compare', user: 'owner001', path: `/conventions/${ids.convention}/compare?from=1&to=${ids.conventionVersion}` },
    { route: 'convention-version', user: 'owner001', path: `/conventions/${ids.convention}/versions/1` },
    { route: 'convention-report', user: 'committee', path: `/conventions/${ids.convention}/report`, bare: true },
    // The register of conventions in force and repealed, the compound's as an owner and the community's as its office,
    // and the text in force on A4 (convention 3, the demo's 太阳城二期管理规约, is in force: an error page would fail).
    { route: 'convention-register', user: 'owner001', path: `/compounds/${c}/convention-register` },
    { route: 'community-convention-register', user: 'secretary', path: `/communities/${ids.community}/convention-register` },
    { route: 'convention-print', user: 'committee', path: '/conventions/3/print', bare: true },
    { route: 'task', user: 'property', path: `/tasks/${ids.task}` },
    { route: 'community-tasks', user: 'secretary', path: `/communities/${ids.community}/tasks` },
  ]
}

/** The names of the SPA's routes, read from the router, so a new page cannot escape the sweep. */
function routeNames() {
  const source = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../src/router/index.ts'), 'utf8')
  return [...source.matchAll(/\bname: '([a-z-]+)'/g)].map((m) => m[1])
}

/**
 * Waits until the page has loaded its data and its transitions have ended. A page following a live
 * meeting keeps its event stream open, so the network never goes quiet: it is given a moment instead.
 */
async function settle(page, entry) {
  if (entry?.live) await page.waitForTimeout(1_000)
  else await page.waitForLoadState('networkidle')
  await page.waitForFunction(() => !document.querySelector('.van-loading, .van-skeleton'), null, { timeout: 10_000 }).catch(() => undefined)
  await page.waitForTimeout(350)
}

/** The desk mode: the page at 1366×768, with the side navigation, 24 px targets and nothing wider than the window. */
async function checkDesk(page, entry) {
  const problems = []
  await page.setViewportSize(DESK)
  await page.goto(`${BASE_URL}${entry.path}`)
  await settle(page, entry)
  const at = new URL(page.url())
  if (`${at.pathname}${at.search}` !== entry.path) problems.push(`landed on ${at.pathname}${at.search} instead`)
  problems.push(...(await axeViolations(page)))
  const headings = await page.locator('h1:visible').count()
  if (headings !== 1) problems.push(`${headings} visible <h1> elements instead of one`)
  if (!entry.bare && !(await page.getByTestId('sidenav').isVisible())) problems.push('no side navigation at desk width')
  if (await page.getByTestId('tabbar').count()) problems.push('the phone tab bar shows at desk width')
  const small = await smallTargets(page, MIN_DESK_TARGET)
  if (small.length) problems.push(`tap targets under ${MIN_DESK_TARGET}×${MIN_DESK_TARGET} px: ${small.slice(0, 6).join('; ')}${small.length > 6 ? ` … ${small.length - 6} more` : ''}`)
  const wide = await sidewaysScroll(page)
  if (wide > 0) problems.push(`scrolls ${wide} px sideways at ${DESK.width} px wide: ${(await widestElements(page)).join(', ')}`)
  return problems
}

async function checkPage(page, entry, mode) {
  if (mode.desk) {
    const problems = await checkDesk(page, entry)
    for (const state of entry.states ?? []) {
      problems.push(...(await checkState(page, entry, state, mode).catch((e) => [String(e instanceof Error ? e.message : e)])).map((p) => `[${state.name}] ${p}`))
    }
    return problems
  }
  const problems = []
  await page.setViewportSize(PHONE)
  await page.goto(`${BASE_URL}${entry.path}`)
  await settle(page, entry)
  if (entry.prepare) {
    await entry.prepare.run(page)
    await settle(page, entry)
  }
  const url = new URL(page.url())
  const at = entry.path.includes('?') ? `${url.pathname}${url.search}` : url.pathname
  if (at !== entry.path) problems.push(`landed on ${at} instead`)
  problems.push(...(await axeViolations(page)))
  const headings = await page.locator('h1:visible').count()
  if (headings !== 1) problems.push(`${headings} visible <h1> elements instead of one`)
  const small = await smallTargets(page, MIN_TARGET)
  if (small.length) problems.push(`tap targets under ${MIN_TARGET}×${MIN_TARGET} px: ${small.slice(0, 6).join('; ')}${small.length > 6 ? ` … ${small.length - 6} more` : ''}`)

  await page.setViewportSize({ width: NARROW, height: PHONE.height })
  await page.waitForTimeout(150)
  const narrow = await sidewaysScroll(page)
  if (narrow > 0) problems.push(`scrolls ${narrow} px sideways at ${NARROW} px wide: ${(await widestElements(page)).join(', ')}`)

  if (!mode.largeText) {
    await page.setViewportSize(PHONE)
    await page.evaluate(() => document.documentElement.style.setProperty('font-size', '200%'))
    await page.waitForTimeout(150)
    const zoomed = await sidewaysScroll(page)
    if (zoomed > 0) problems.push(`scrolls ${zoomed} px sideways with text at 200 %: ${(await widestElements(page)).join(', ')}`)
    await page.evaluate(() => document.documentElement.style.removeProperty('font-size'))
  }

  if (mode.name === 'zh') {
    await page.setViewportSize(DESK)
    await page.waitForTimeout(150)
    const desk = await smallTargets(page, MIN_DESK_TARGET)
    if (desk.length) problems.push(`tap targets under ${MIN_DESK_TARGET}×${MIN_DESK_TARGET} px at ${DESK.width} px wide: ${desk.slice(0, 6).join('; ')}`)
  }
  for (const state of entry.states ?? []) {
    problems.push(...(await checkState(page, entry, state, mode).catch((e) => [String(e instanceof Error ? e.message : e)])).map((p) => `[${state.name}] ${p}`))
  }
  return problems
}

const OPEN_DIALOG = '[role="dialog"][aria-modal="true"]:visible'

/** Opens one dialog or sheet of the page from its resting state, checks it, and closes it with Escape. */
async function checkState(page, entry, state, mode) {
  const problems = []
  const [viewport, minTarget] = mode.desk ? [DESK, MIN_DESK_TARGET] : [PHONE, MIN_TARGET]
  await page.setViewportSize(viewport)
  await page.goto(`${BASE_URL}${entry.path}`)
  await settle(page, entry)
  await state.open(page)
  await page.locator(OPEN_DIALOG).first().waitFor({ timeout: 5_000 })
  await settle(page, entry)
  problems.push(...(await axeViolations(page)))
  const small = await smallTargets(page, minTarget)
  if (small.length) problems.push(`tap targets under ${minTarget}×${minTarget} px: ${small.slice(0, 6).join('; ')}${small.length > 6 ? ` … ${small.length - 6} more` : ''}`)
  const inside = await page.evaluate(() => document.activeElement?.closest('[role="dialog"][aria-modal="true"]') != null)
  if (!inside) problems.push(`focus is not inside the open dialog but on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80))}`)
  if (mode.name === 'zh') {
    await page.setViewportSize({ width: NARROW, height: PHONE.height })
    await page.waitForTimeout(150)
    const narrow = await sidewaysScroll(page)
    if (narrow > 0) problems.push(`scrolls ${narrow} px sideways at ${NARROW} px wide: ${(await widestElements(page)).join(', ')}`)
    await page.setViewportSize(PHONE)
  }

  await page.keyboard.press('Escape')
  const closed = await page
    .locator(OPEN_DIALOG)
    .first()
    .waitFor({ state: 'hidden', timeout: 3_000 })
    .then(() => true)
    .catch(() => false)
  if (!closed) problems.push('Escape does not close it')
  else if (await page.evaluate(() => document.activeElement === document.body || document.activeElement === null)) {
    problems.push('focus does not go back to the page once it closes')
  }
  return problems
}

/** A browser signed in as `user` (or signed out), set to the mode's language and text size. */
async function openAs(user, mode, tokens) {
  const browser = await openBrowser({ viewport: PHONE, locale: mode.locale })
  const settings = JSON.stringify({ locale: mode.locale, largeText: mode.largeText })
  await browser.context.addInitScript(
    ([settings, tokens]) => {
      localStorage.setItem('sanfang.settings', settings)
      if (tokens) {
        localStorage.setItem('sanfang.access_token', tokens.access_token)
        localStorage.setItem('sanfang.refresh_token', tokens.refresh_token)
      }
    },
    [settings, tokens],
  )
  return browser
}

const only = process.argv.slice(2)
console.log(`a11y sweep: every route in ${MODES.length} modes against ${BASE_URL} with ${CHROMIUM}`)
const ids = await demoIds()
const all = pages(ids)
let passed = 0
let failed = 0

const missing = routeNames().filter((name) => !all.some((p) => p.route === name))
if (missing.length) {
  failed++
  console.log(`FAIL the sweep does not visit these routes: ${missing.join(', ')}`)
}

const chosen = all.filter((p) => only.length === 0 || only.includes(p.route))
/** The pages of a mode: the staff pages (and the desk-only ones) in the desk mode, the others elsewhere. */
const inMode = (mode) => chosen.filter((p) => (mode.desk ? p.deskOnly || STAFF.has(p.user) : !p.deskOnly))
for (const mode of MODES) {
  const users = [...new Set(inMode(mode).map((p) => p.user))]
  for (const user of users) {
    // The account keeps the mode's language, so the app takes it up when it loads the account.
    const tokens = user ? await signIn(user) : null
    if (tokens) await api('/me/language', { token: tokens.access_token, method: 'PUT', body: { language: mode.locale } })
    const { page, errors, close } = await openAs(user, mode, tokens)
    try {
      for (const entry of inMode(mode).filter((p) => p.user === user)) {
        const states = [entry.prepare?.name, ...(entry.states ?? []).map((s) => s.name)].filter(Boolean)
        const shown = states.length ? ` with ${states.join(', ')}` : ''
        const label = `${entry.route} (${entry.path}) as ${user ?? 'a visitor'}, ${mode.name}${shown}`
        errors.length = 0
        let problems
        try {
          problems = await checkPage(page, entry, mode)
        } catch (e) {
          problems = [String(e instanceof Error ? e.message : e)]
        }
        problems.push(...errors)
        if (problems.length === 0) {
          passed++
          console.log(`ok   ${label}`)
        } else {
          failed++
          console.log(`FAIL ${label}`)
          for (const p of problems) console.log(`     ${p}`)
        }
      }
    } finally {
      await close()
    }
  }
}

console.log(`${passed} passed, ${failed} failed`)
process.exitCode = failed > 0 || passed === 0 ? 1 : 0
