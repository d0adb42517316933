import { describe, expect, it } from 'vitest'
import { NO_COMMUNITY, NO_COMPOUND } from '@/stores/auth'
import { deskGroups, isCurrent } from '@/utils/desk'

describe('the staff destinations of the side navigation', () => {
  it('follow what the server allows in each community and compound', () => {
    const groups = deskGroups({
      communities: [{ community_id: 1, can: { ...NO_COMMUNITY, view_community: true, view_concern_dashboard: true } }],
      compounds: [
        { compound_id: 5, community_id: 1, can: { ...NO_COMPOUND, view_roster: true, view_concerns: true, verify_owners: true } },
        { compound_id: 6, community_id: 1, can: { ...NO_COMPOUND, view_concerns: true } },
        { compound_id: 7, community_id: 1, can: NO_COMPOUND },
      ],
    })
    expect(groups.map((g) => [g.key, g.links.map((l) => l.key)])).toEqual([
      ['community-1', ['community', 'dashboard']],
      ['compound-5', ['units', 'holders', 'concerns', 'agendas', 'confirmations', 'meetings', 'conventions']],
      ['compound-6', ['concerns', 'agendas', 'meetings', 'conventions']],
    ])
    expect(groups[2]?.links.at(-1)?.to).toEqual({ name: 'conventions', params: { id: 6 } })
    expect(groups[1]?.links[0]?.to).toEqual({ name: 'compound-units', params: { id: 5 } })
  })

  it('are none for an owner or before /me has loaded', () => {
    expect(deskGroups(null)).toEqual([])
    expect(deskGroups({ communities: [], compounds: [{ compound_id: 5, community_id: 1, can: { ...NO_COMPOUND, raise_concern: true } }] })).toEqual([])
  })

  it('mark the page shown by its route name and id', () => {
    const [group] = deskGroups({ communities: [], compounds: [{ compound_id: 5, community_id: 1, can: { ...NO_COMPOUND, view_roster: true } }] })
    const units = group!.links[0]!
    expect(isCurrent(units, 'compound-units', '5')).toBe(true)
    expect(isCurrent(units, 'compound-units', '6')).toBe(false)
    expect(isCurrent(units, 'holders', '5')).toBe(false)
  })
})
