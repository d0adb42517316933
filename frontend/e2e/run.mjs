// Runs every scenario in e2e/scenarios against BASE_URL (default http://127.0.0.1:8080,
// a server started with --demo) and ends with a plain "N passed, N failed" line.
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { BASE_URL, CHROMIUM } from './lib.mjs'

const dir = join(dirname(fileURLToPath(import.meta.url)), 'scenarios')
const only = process.argv.slice(2)
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort()

console.log(`e2e: ${files.length} scenario(s) against ${BASE_URL} with ${CHROMIUM}`)

let passed = 0
let failed = 0
for (const file of files) {
  const scenario = await import(pathToFileURL(join(dir, file)).href)
  const label = scenario.name ?? file
  const started = Date.now()
  try {
    await scenario.run()
    passed++
    console.log(`ok   ${label} (${Date.now() - started} ms)`)
  } catch (e) {
    failed++
    console.log(`FAIL ${label} (${Date.now() - started} ms)`)
    console.log(String(e instanceof Error ? (e.stack ?? e.message) : e).replace(/^/gm, '     '))
  }
}

console.log(`${passed} passed, ${failed} failed`)
process.exitCode = failed > 0 || files.length === 0 ? 1 : 0
