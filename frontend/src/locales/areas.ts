/**
 * Which messages each group of pages loads. The build splits each language's messages along these
 * lists (`plugins/messages.ts`), so an owner opening a vote from a notice does not download the
 * texts of the roster import. A route names its area in `meta.messages`; a page without one loads
 * every message. A list holds message keys and key prefixes; `!prefix` leaves a part out again, and
 * of two entries that both hold a key, the longer one decides. A part of a page loaded when shown may
 * bring an area of its own besides the page's (`withMessages` in `src/i18n.ts`).
 * `__tests__/areas.spec.ts` checks that every key a page's code uses is in its area.
 */

/** The messages of one language: texts under nested keys. */
export interface MessageTree {
  [key: string]: string | MessageTree
}

/** What the frame of every page shows: header, navigation, common words, errors. */
const FRAME = ['app', 'nav', 'common', 'errors', 'desk.nav']

/** Names that `useFormat` gives: roles, parties, area sources, a vote's matter and channel. */
const NAMES = ['roles', 'parties', 'areaSources', 'votes.matters', 'votes.channels', 'votes.choices']

/** What a status tag says of a vote, a questionnaire, a concern or an agenda. */
const STATUSES = ['votes.status', 'questionnaires.status', 'questionnaires.open', 'concerns.status', 'concerns.overdue', 'agendas.status', 'agendas.official']

/** Why a ballot or an answer is refused, and what to do about it. */
const CONFIRMATIONS = ['confirmations.checks', 'confirmations.refusals', 'confirmations.noParty', 'confirmations.requested']

export const AREAS = {
  /** Signing in, signing up, recovering an account. */
  guest: [...FRAME, 'login', 'register', 'recover', 'password', 'redeem.code', 'redeem.codePlaceholder', 'redeem.codeRequired', 'settings.display', 'settings.largeText', 'settings.largeTextHint', 'settings.language'],
  /** The tabs: home, my homes, messages, settings. */
  home: [
    ...FRAME,
    ...NAMES,
    ...STATUSES,
    'home',
    'myUnits',
    'holding',
    'inbox',
    'redeem',
    'settings',
    'password',
    'deliberation',
    'stats',
    'units.unitTitle',
    'units.areaSourceLine',
    'community.title',
    'community.open',
    'community.partiesLine',
    'community.compoundLine',
    'compound.title',
    'compound.open',
    'compound.units',
    'compound.holders',
    'compound.roster',
    'confirmations.title',
    'admin.cardTitle',
    'admin.communities',
    'users.title',
    'audit.title',
    // The meetings a reader is invited to, on the home page; the desk's count of overdue action items; the calendar feed.
    'meetings.home',
    'meetings.durationMinutes',
    'meetings.durationHours',
    'meetings.durationBoth',
    'meetings.when',
    'meetings.kinds',
    'meetings.status',
    'meetings.answers',
    'meetings.form.errors',
    'tasks.desk',
    'calendarFeed',
    'desk.dashboard',
    'votes',
    '!votes.form',
    '!votes.result',
    '!votes.turnout',
    '!votes.manage',
    'questionnaires',
    '!questionnaires.form',
    '!questionnaires.results',
    '!questionnaires.manage',
  ],
  /** A vote and the list of votes. */
  vote: [
    ...FRAME,
    ...NAMES,
    ...STATUSES,
    ...CONFIRMATIONS,
    'votes',
    '!votes.form',
    '!votes.turnout',
    '!votes.chart',
    '!votes.result',
    '!votes.manage',
    'files',
    'ballots.title',
    'ballots.linkHint',
    'paper.title',
    'paper.linkHint',
    'proxies.title',
    'proxies.linkHint',
  ],
  /** Besides `vote`: the vote page's panels for counters, managers, results and objections, which come when shown. */
  votePanels: ['votes.turnout', 'votes.chart', 'votes.result', 'votes.manage', 'votes.form.closesAt', 'votes.form.errors.timeRequired', 'objections'],
  /** A questionnaire and the list of questionnaires. */
  questionnaire: [
    ...FRAME,
    ...NAMES,
    ...STATUSES,
    ...CONFIRMATIONS,
    'questionnaires',
    '!questionnaires.form',
    'questionnaires.form.questions',
    'questionnaires.form.requiredField',
    '!questionnaires.results',
    'questionnaires.results.hidden',
    'questionnaires.results.inSteps',
  ],
  /** A concern, raising one, and the list of concerns. */
  concern: [...FRAME, ...NAMES, ...STATUSES, 'concerns', 'desk.concerns'],
  /** An agenda and the list of agendas. */
  agenda: [...FRAME, ...NAMES, ...STATUSES, 'agendas', 'concerns.actions.done', 'desk.agendas'],
  /** A convention: its list, drafting, the text with its consultation, versions, comparison and report; its adoption and acknowledgement (a paper one with its scan). */
  conventions: [...FRAME, ...NAMES, 'votes.status', 'votes.rule', 'conventions', 'files'],
} as const satisfies Record<string, readonly string[]>

/** A group of pages that loads its own messages, or all of them. */
export type MessageArea = keyof typeof AREAS | 'all'

/** The part of `tree` that `list` names (see above). */
export function pickMessages(tree: MessageTree, list: readonly string[]): MessageTree {
  const entries = list.map((entry) => ({ prefix: entry.replace(/^!/, ''), keep: !entry.startsWith('!') }))
  const kept = (path: string): boolean => {
    let longest = { prefix: '', keep: false }
    for (const e of entries) {
      if ((path === e.prefix || path.startsWith(`${e.prefix}.`)) && e.prefix.length > longest.prefix.length) longest = e
    }
    return longest.keep
  }
  const walk = (node: MessageTree, path: string): MessageTree => {
    const out: MessageTree = {}
    for (const [key, value] of Object.entries(node)) {
      const here = path ? `${path}.${key}` : key
      if (typeof value === 'string') {
        if (kept(here)) out[key] = value
      } else {
        const part = walk(value, here)
        if (Object.keys(part).length > 0) out[key] = part
      }
    }
    return out
  }
  return walk(tree, '')
}
