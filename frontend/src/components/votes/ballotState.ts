import type { MyHolding, MyHomes } from '@/api/types'

/** The i18n key saying how a holding's ballot stands: cast by me, by my proxy, on paper, or awaiting a clerk. */
export function ballotTitleKey(h: MyHolding): string {
  const b = h.ballot
  if (!b) return ''
  if (b.status === 'pending') return 'votes.pendingPaper'
  if (b.channel === 'proxy' && h.proxy_id == null) return 'votes.votedByProxy'
  if (b.channel === 'paper') return 'votes.votedOnPaper'
  return 'votes.voted'
}

/** How my homes stand on one vote: nothing to vote for, none voted, some, or all. */
export type MyVoteState = 'none' | 'todo' | 'some' | 'done'

export function myVoteState(my: readonly MyHolding[]): MyVoteState {
  return stateOf(my.length, my.filter((h) => h.ballot).length)
}

function stateOf(homes: number, voted: number): MyVoteState {
  if (homes === 0) return 'none'
  if (voted === 0) return 'todo'
  return voted >= homes ? 'done' : 'some'
}

/** Where I stand on a vote as its home card tells it: the state and how many homes still wait. */
export interface MyStanding {
  state: MyVoteState
  left: number
}

/** My standing from a vote's list entry (`mine`: null when none of my homes may vote in it). */
export function myStanding(mine: MyHomes | null | undefined): MyStanding {
  const homes = mine?.homes ?? 0
  const voted = mine?.voted ?? 0
  return { state: stateOf(homes, voted), left: Math.max(homes - voted, 0) }
}
