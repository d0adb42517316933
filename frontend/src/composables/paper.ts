import { onBeforeUnmount, onMounted } from 'vue'

/**
 * A4 paper with page numbers for as long as the calling page is shown: `@page` rules cannot be
 * scoped, so they are put in the document's head and taken out again.
 */
export function usePaperStyle(name: string): void {
  let style: HTMLStyleElement | null = null
  onMounted(() => {
    style = document.createElement('style')
    style.dataset.sfPrint = name
    style.textContent = '@page { size: A4; margin: 18mm 16mm; @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; color: #555; } }'
    document.head.append(style)
  })
  onBeforeUnmount(() => style?.remove())
}
