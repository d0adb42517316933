import { watch } from 'vue'

/** The compounds and communities a home panel covers. */
export interface HomeScope {
  compounds: { id: number }[]
  communityIds: number[]
}

/** Loads a home panel now, and again whenever the compounds or communities it covers change. */
export function loadForScope(scope: HomeScope, load: () => Promise<void>): void {
  watch(
    () => `${scope.compounds.map((c) => c.id).join(',')}|${scope.communityIds.join(',')}`,
    () => void load(),
    { immediate: true },
  )
}
