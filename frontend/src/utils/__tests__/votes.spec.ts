import { describe, expect, it } from 'vitest'
import { i18n } from '@/i18n'
import {
  MATTERS,
  agreeShare,
  areaPercent,
  atLeast,
  ballotMatches,
  formatPercent,
  fromLocalInput,
  internalLink,
  matchingBallots,
  moreThan,
  ratioHundredths,
  ruleKey,
  thresholdOf,
  timeLeft,
  toLocalInput,
  turnoutShare,
} from '@/utils/votes'
import { emptyDraft, toNewVote, validateDraft, type VoteDraft } from '@/utils/voteDraft'

function inLocale(locale: 'zh-CN' | 'en', key: string): string {
  const previous = i18n.global.locale.value
  i18n.global.locale.value = locale
  try {
    return i18n.global.t(key)
  } finally {
    i18n.global.locale.value = previous
  }
}

describe('the rule in plain words', () => {
  it('gives items 6–8 of Art. 278 the special threshold and the rest the ordinary one', () => {
    expect(MATTERS).toHaveLength(9)
    expect(MATTERS.filter((m) => thresholdOf(m) === 'special')).toEqual(['fund_raise', 'rebuild', 'common_use'])
  })

  it('states the ordinary rule: two thirds take part, more than half agree', () => {
    expect(inLocale('zh-CN', ruleKey('ordinary'))).toBe(
      '普通事项：需专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决，并经参与表决专有部分面积过半数且参与表决人数过半数的业主同意',
    )
    const en = inLocale('en', ruleKey('ordinary'))
    expect(en).toMatch(/^Ordinary matter:/)
    expect(en).toContain('at least two thirds')
    expect(en).toContain('more than half of the participating area')
  })

  it('states the special rule: two thirds take part, three quarters agree', () => {
    expect(inLocale('zh-CN', ruleKey('special'))).toBe(
      '特别事项：需专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决，并经参与表决专有部分面积四分之三以上且参与表决人数四分之三以上的业主同意',
    )
    const en = inLocale('en', ruleKey('special'))
    expect(en).toMatch(/^Special matter:/)
    expect(en).toContain('at least three quarters of the participating area')
    expect(en).not.toContain('more than half')
  })
})

describe('percentages in integer hundredths', () => {
  it('computes shares of string areas without floating point', () => {
    // The demo compound: 17045.12 of 25567.68 m² is the quorum, 66.666…% rounded down.
    expect(areaPercent('17045.12', '25567.68')).toBe(6666)
    expect(formatPercent(areaPercent('17045.12', '25567.68'))).toBe('66.66%')
    // 0.1 + 0.2 of 0.3: exactly all of it, where floats would say 100.00000000000001 %.
    expect(areaPercent('0.30', '0.30')).toBe(10000)
    expect(areaPercent('0.10', '0.30')).toBe(3333)
    expect(formatPercent(5)).toBe('0.05%')
    expect(formatPercent(10000)).toBe('100.00%')
  })

  it('treats a zero whole as zero and handles large compounds exactly', () => {
    expect(ratioHundredths(5, 0)).toBe(0)
    expect(areaPercent('89999999.99', '90000000.00')).toBe(9999)
    // Past 2^53 a float would round; the BigInt division stays exact.
    expect(ratioHundredths(2n ** 60n - 1n, 2n ** 60n)).toBe(9999)
  })

  it('compares ratios by cross-multiplying: "以上" includes the figure, "过半数" does not', () => {
    expect(atLeast(2, 3, 2, 3)).toBe(true)
    expect(atLeast(199, 300, 2, 3)).toBe(false)
    expect(moreThan(1, 2, 1, 2)).toBe(false)
    expect(moreThan(51, 100, 1, 2)).toBe(true)
  })

  it('reaches the quorum at exactly two thirds of area and heads, not a hundredth less', () => {
    const exact = turnoutShare({ area: '200.00', headcount: 2 }, { area: '300.00', headcount: 3 })
    expect(exact).toMatchObject({ areaReached: true, headsReached: true, areaPct: 6666, headsPct: 6666, linePct: 6667 })
    const short = turnoutShare({ area: '199.99', headcount: 2 }, { area: '300.00', headcount: 3 })
    expect(short.areaReached).toBe(false)
    expect(short.headsReached).toBe(true)
  })

  it('fails an ordinary matter at exactly half and passes a special one at exactly three quarters', () => {
    const half = agreeShare({ area: '50.00', headcount: 2 }, { area: '100.00', headcount: 4 }, 'ordinary')
    expect(half).toMatchObject({ areaReached: false, headsReached: false, areaPct: 5000, linePct: 5000 })
    const quarters = agreeShare({ area: '75.00', headcount: 3 }, { area: '100.00', headcount: 4 }, 'special')
    expect(quarters).toMatchObject({ areaReached: true, headsReached: true, areaPct: 7500, linePct: 7500 })
    const none = agreeShare({ area: '0.00', headcount: 0 }, { area: '0.00', headcount: 0 }, 'ordinary')
    expect(none.areaReached).toBe(false)
  })
})

describe('receipt look-up on the public ballot list', () => {
  const list = [
    { receipt: 'K7QMA-4XPBZ', units: ['1号楼 1单元202'] },
    { receipt: 'RXAWM-Z88CS', units: ['5号楼 2单元301'] },
    { receipt: 'ABCDE-FGHJK', units: ['1号楼 1单元101', '2号楼 1单元301'] },
  ]

  it('finds a receipt however it is typed', () => {
    expect(matchingBallots(list, 'RXAWM-Z88CS')).toEqual([1])
    expect(matchingBallots(list, ' rxawmz88cs ')).toEqual([1])
    expect(matchingBallots(list, 'rxawm z88cs')).toEqual([1])
    expect(matchingBallots(list, 'Z88C')).toEqual([1])
  })

  it('finds a line by one of its room numbers', () => {
    expect(matchingBallots(list, '2号楼 1单元301')).toEqual([2])
    expect(matchingBallots(list, '1单元301')).toEqual([2])
    expect(matchingBallots(list, '1号楼')).toEqual([0, 2])
  })

  it('matches nothing for an empty query, an unknown code or a fragment too short to be a code', () => {
    expect(matchingBallots(list, '')).toEqual([])
    expect(matchingBallots(list, '   ')).toEqual([])
    expect(matchingBallots(list, 'ZZZZZ-ZZZZZ')).toEqual([])
    expect(ballotMatches(list[0]!, 'K7')).toBe(false)
  })
})

describe('the vote form', () => {
  const now = new Date(2026, 10, 1, 9, 0).getTime()
  const day = 86_400_000

  function draft(patch: Partial<VoteDraft> = {}): VoteDraft {
    return {
      ...emptyDraft(now, 0),
      title: '《文明养犬公约》表决',
      body: '公约全文',
      matter: 'covenant',
      opensAt: toLocalInput(new Date(now + day)),
      closesAt: toLocalInput(new Date(now + 15 * day)),
      ...patch,
    }
  }

  it('accepts a complete motion and builds the request', () => {
    const d = draft()
    expect(validateDraft(d, { now, noticeDays: 0 })).toEqual({})
    const body = toNewVote(d)
    expect(body).toMatchObject({ title: '《文明养犬公约》表决', matter: 'covenant', form: 'motion', candidates: [], seats: null, building_ids: null })
    expect(new Date(body.opens_at).getTime()).toBe(now + day)
    expect(new Date(body.closes_at).getTime()).toBe(now + 15 * day)
  })

  it('requires a title, a text and a matter', () => {
    const errors = validateDraft(draft({ title: '  ', body: '', matter: null }), { now, noticeDays: 0 })
    expect(errors.title?.key).toBe('votes.form.errors.titleRequired')
    expect(errors.body?.key).toBe('votes.form.errors.bodyRequired')
    expect(errors.matter?.key).toBe('votes.form.errors.matterRequired')
  })

  it('checks the times: closing after opening, and the notice period when it is known', () => {
    expect(validateDraft(draft({ closesAt: toLocalInput(new Date(now + day)) }), { now, noticeDays: 0 }).closes_at?.key).toBe(
      'votes.form.errors.closesBeforeOpens',
    )
    expect(validateDraft(draft({ opensAt: '' }), { now, noticeDays: 0 }).opens_at?.key).toBe('votes.form.errors.timeRequired')
    expect(validateDraft(draft(), { now, noticeDays: 15 }).opens_at).toEqual({ key: 'votes.form.errors.notice', params: { days: 15 }, plural: 15 })
    expect(validateDraft(draft(), { now, noticeDays: null }).opens_at).toBeUndefined()
    expect(validateDraft(draft({ opensAt: toLocalInput(new Date(now + 15 * day)), closesAt: toLocalInput(new Date(now + 30 * day)) }), { now, noticeDays: 15 })).toEqual({})
  })

  it('checks an election: committee matter, named and distinct candidates, seats within their number', () => {
    const base = { form: 'election' as const, matter: 'committee' as const, candidates: ['王建国', '李秀英', '张志强'], seats: 2 }
    expect(validateDraft(draft(base), { now, noticeDays: 0 })).toEqual({})
    expect(toNewVote(draft(base))).toMatchObject({ form: 'election', candidates: ['王建国', '李秀英', '张志强'], seats: 2 })
    expect(validateDraft(draft({ ...base, matter: 'covenant' }), { now, noticeDays: 0 }).matter?.key).toBe('votes.form.errors.electionMatter')
    expect(validateDraft(draft({ ...base, candidates: ['王建国', ' '] }), { now, noticeDays: 0 }).candidates?.key).toBe(
      'votes.form.errors.candidateEmpty',
    )
    expect(validateDraft(draft({ ...base, candidates: ['王建国', '王建国 '] }), { now, noticeDays: 0 }).candidates?.key).toBe(
      'votes.form.errors.candidateTwice',
    )
    expect(validateDraft(draft({ ...base, seats: 4 }), { now, noticeDays: 0 }).seats).toEqual({ key: 'votes.form.errors.seats', params: { max: 3 } })
    expect(validateDraft(draft({ ...base, seats: 0 }), { now, noticeDays: 0 }).seats?.key).toBe('votes.form.errors.seats')
  })

  it('needs at least one building when the vote is not for the whole compound', () => {
    expect(validateDraft(draft({ allBuildings: false }), { now, noticeDays: 0 }).building_ids?.key).toBe('votes.form.errors.buildingsRequired')
    const chosen = draft({ allBuildings: false, buildingIds: [3, 1] })
    expect(validateDraft(chosen, { now, noticeDays: 0 })).toEqual({})
    expect(toNewVote(chosen).building_ids).toEqual([1, 3])
  })

  it('starts a new draft after fifteen days of notice unless the compound says otherwise', () => {
    const fresh = emptyDraft(now, null)
    const opens = fromLocalInput(fresh.opensAt)
    expect(opens && opens.getTime() >= now + 15 * day).toBe(true)
    expect(validateDraft({ ...fresh, title: 't', body: 'b', matter: 'other' }, { now, noticeDays: 15 })).toEqual({})
  })
})

describe('small helpers', () => {
  it('counts down in days, hours and minutes', () => {
    const now = Date.UTC(2026, 10, 1, 0, 0)
    expect(timeLeft(new Date(now + 2 * 86_400_000 + 3 * 3_600_000 + 5 * 60_000 + 30_000).toISOString(), now)).toEqual({
      past: false,
      days: 2,
      hours: 3,
      minutes: 5,
    })
    expect(timeLeft(new Date(now - 1).toISOString(), now).past).toBe(true)
  })

  it('follows only links inside the app from a notice', () => {
    expect(internalLink('/votes/3')).toBe('/votes/3')
    expect(internalLink('//evil.example/x')).toBeNull()
    expect(internalLink('https://evil.example/')).toBeNull()
    expect(internalLink('/\\evil.example')).toBeNull()
    expect(internalLink(null)).toBeNull()
  })
})

describe('the notice-period hints', () => {
  // The app's messages, compiled as the browser gets them.
  const { t } = i18n.global
  const keys = ['votes.form.noticeKnown', 'votes.manage.noticeLine', 'votes.form.errors.notice']
  const say = (locale: 'zh-CN' | 'en', key: string, days: number) => t(key, { days, earliest: '12月20日 08:00' }, { plural: days, locale })

  it('read naturally without a notice period: no "0 days", in either language', () => {
    for (const key of keys) {
      expect(say('zh-CN', key, 0)).not.toMatch(/0 天/)
      expect(say('en', key, 0)).not.toMatch(/0 days?/)
    }
    expect(say('zh-CN', 'votes.form.noticeKnown', 0)).toContain('不设公告期')
    expect(say('en', 'votes.form.errors.notice', 0)).toContain('already passed')
  })

  it('say one day in the singular and more days with their number', () => {
    expect(say('en', 'votes.form.noticeKnown', 1)).toContain('a day’s notice')
    expect(say('en', 'votes.form.noticeKnown', 15)).toContain('15 days’ notice')
    expect(say('zh-CN', 'votes.form.noticeKnown', 15)).toContain('公告期 15 天')
    expect(say('zh-CN', 'votes.manage.noticeLine', 7)).toContain('最早可于 12月20日 08:00')
  })
})
