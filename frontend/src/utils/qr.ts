/**
 * `href` as a QR code: an SVG image as a data: URL, to put in an <img>. The encoder is loaded with
 * the first code drawn, never with the page that draws it.
 */
export async function qrImage(href: string): Promise<string> {
  const qrcode = await import('qrcode')
  const svg = await qrcode.toString(href, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}
