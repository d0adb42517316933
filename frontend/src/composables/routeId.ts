import { computed, type ComputedRef } from 'vue'
import { useRoute } from 'vue-router'

/** The `:id` of the current route (a compound, a vote…) as a number. */
export function useRouteId(): ComputedRef<number> {
  const route = useRoute()
  return computed(() => Number(route.params.id))
}
