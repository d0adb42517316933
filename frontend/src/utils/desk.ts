import type { RouteLocationRaw } from 'vue-router'
import type { Me } from '@/api/types'

/** One staff destination of the side navigation; `label` is an i18n key. */
export interface DeskLink {
  key: string
  label: string
  to: RouteLocationRaw & { name: string; params: { id: number } }
}

/** The staff destinations in one community or compound. */
export interface DeskGroup {
  key: string
  kind: 'community' | 'compound'
  id: number
  links: DeskLink[]
}

/**
 * The staff destinations the server lets this user reach, from the `can` flags of `/me`: per
 * community its overview and concern dashboard, per compound its homes, owners, concerns,
 * agendas, meetings and conventions. Groups without a destination are left out.
 */
export function deskGroups(me: Pick<Me, 'communities' | 'compounds'> | null): DeskGroup[] {
  if (!me) return []
  const groups: DeskGroup[] = []
  for (const c of me.communities) {
    const id = c.community_id
    const links: DeskLink[] = []
    if (c.can.view_community) links.push({ key: 'community', label: 'desk.nav.community', to: { name: 'community', params: { id } } })
    if (c.can.view_concern_dashboard) {
      links.push({ key: 'dashboard', label: 'desk.nav.dashboard', to: { name: 'concern-dashboard', params: { id } } })
    }
    if (links.length) groups.push({ key: `community-${id}`, kind: 'community', id, links })
  }
  for (const c of me.compounds) {
    const id = c.compound_id
    const links: DeskLink[] = []
    if (c.can.view_roster) {
      links.push({ key: 'units', label: 'desk.nav.units', to: { name: 'compound-units', params: { id } } })
      links.push({ key: 'holders', label: 'desk.nav.holders', to: { name: 'holders', params: { id } } })
    }
    if (c.can.view_concerns) {
      links.push({ key: 'concerns', label: 'desk.nav.concerns', to: { name: 'concerns', params: { id } } })
      links.push({ key: 'agendas', label: 'desk.nav.agendas', to: { name: 'agendas', params: { id } } })
    }
    if (c.can.verify_owners) {
      links.push({ key: 'confirmations', label: 'desk.nav.confirmations', to: { name: 'confirmations', params: { id } } })
    }
    // Everyone in a compound sees its meetings; at the desk they sit with the staff destinations.
    if (links.length) links.push({ key: 'meetings', label: 'desk.nav.meetings', to: { name: 'meetings', params: { id } } })
    if (links.length) links.push({ key: 'conventions', label: 'desk.nav.conventions', to: { name: 'conventions', params: { id } } })
    if (links.length) groups.push({ key: `compound-${id}`, kind: 'compound', id, links })
  }
  return groups
}

/** Whether `link` is the page at route `name` with `id`. */
export function isCurrent(link: DeskLink, name: unknown, id: unknown): boolean {
  return link.to.name === name && String(link.to.params.id) === String(id)
}
