import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/http'
import type { MembershipView } from '@/api/types'
import { amendmentStale, draftsIn, textMovedOn } from '@/composables/conventions'

const membership = (m: Partial<MembershipView>): MembershipView => ({ id: 1, user_id: 1, role: 'owner', ...m })

describe('conventions', () => {
  it('offer drafting to the parties of the compound and to the community office, not to owners', () => {
    const committee = membership({ role: 'committee_chair', party_id: 3, compound_id: 5, community_id: 1 })
    const office = membership({ role: 'secretary', party_id: 1, compound_id: null, community_id: 1 })
    const owner = membership({ role: 'owner', compound_id: 5, community_id: 1 })
    expect(draftsIn([committee], 5, 1)).toBe(true)
    expect(draftsIn([committee], 6, 1)).toBe(false)
    expect(draftsIn([office], 6, 1)).toBe(true)
    expect(draftsIn([office], 6, 2)).toBe(false)
    expect(draftsIn([owner], 5, 1)).toBe(false)
  })

  it('tell a stale amendment from a text that moved on', () => {
    const stale = new ApiError(409, 'convention_amendment_stale', '条文已修改')
    const changed = new ApiError(409, 'convention_changed', '已有新版本')
    expect(amendmentStale(stale)).toBe(true)
    expect(textMovedOn(stale)).toBe(false)
    expect(textMovedOn(changed)).toBe(true)
    expect(amendmentStale(new ApiError(422, 'validation_failed', ''))).toBe(false)
  })
})
