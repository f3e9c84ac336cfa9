#!/usr/bin/env node
/*
 * Checks search.mjs against the real thing: loads the minified search worker
 * shipped in the installed mkdocs-material package
 * (material/templates/assets/javascripts/workers/search.*.min.js) into a Node
 * vm context with a minimal web-worker shim, sends it the same SETUP and QUERY
 * messages the browser bundle sends, and compares the grouped results (page
 * order, and the order of items inside each group) with the port's.
 *
 *   node bench/lunr/verify.mjs SITE_DIR QUERIES_JSON [MATERIAL_DIR]
 *
 * MATERIAL_DIR defaults to the material package in the repo's .venv.
 * Exits 1 on any difference. Only for English sites (no lunr-languages shim).
 */

import { readFileSync, readdirSync, existsSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import vm from "node:vm"

import { Search } from "./search.mjs"

const here = dirname(fileURLToPath(import.meta.url))

function findMaterial() {
  const lib = join(here, "..", "..", ".venv", "lib")
  for (const py of existsSync(lib) ? readdirSync(lib) : []) {
    const dir = join(lib, py, "site-packages", "material")
    if (existsSync(dir)) return dir
  }
  throw new Error("material package not found; pass MATERIAL_DIR")
}

/* Load the shipped worker; returns an async (message) => reply function */
function loadWorker(materialDir) {
  const dir = join(materialDir, "templates", "assets", "javascripts", "workers")
  const file = readdirSync(dir).find(f => /^search\..*\.min\.js$/.test(f))
  let listener
  let reply
  const sandbox = {
    console: { warn: (...a) => console.error(...a), log: console.error },
    addEventListener: (type, fn) => { if (type === "message") listener = fn },
    postMessage: data => reply(data),
    importScripts: () => { throw new Error("importScripts not shimmed") }
  }
  sandbox.self = sandbox
  vm.createContext(sandbox)
  vm.runInContext(readFileSync(join(dir, file), "utf8"), sandbox,
    { filename: file })
  return data => new Promise(resolve => {
    reply = resolve
    listener({ data })
  })
}

async function main([siteDir, queriesFile, materialDir]) {
  if (!siteDir || !queriesFile) {
    console.error("usage: node verify.mjs SITE_DIR QUERIES_JSON [MATERIAL_DIR]")
    process.exit(2)
  }
  const raw = readFileSync(join(siteDir, "search", "search_index.json"), "utf8")
  const queries = JSON.parse(readFileSync(queriesFile, "utf8"))

  const worker = loadWorker(materialDir ?? findMaterial())
  const { config, docs } = JSON.parse(raw)
  const ready = await worker({
    type: 0, data: { config, docs, options: { suggest: false } }
  })
  if (ready.type !== 1) throw new Error("worker did not get ready")

  const port = new Search(JSON.parse(raw))

  let failed = 0
  for (const query of queries) {
    const real = (await worker({ type: 2, data: query })).data.items
      .map(group => group.map(item => [item.location, item.score]))
    let mine
    try {
      mine = port.search(query).items
        .map(([, group]) => group.map(item => [item.location, item.score]))
    } catch {
      mine = []
    }
    const same = JSON.stringify(real) === JSON.stringify(mine)
    if (!same) failed++
    console.log(`${same ? "same" : "DIFF"}  ${JSON.stringify(query)}  ` +
      `(${real.length} pages)`)
    if (!same) {
      console.log("  worker:", JSON.stringify(real.slice(0, 5).map(g => g[0])))
      console.log("  port:  ", JSON.stringify(mine.slice(0, 5).map(g => g[0])))
    }
  }
  console.log(`${queries.length - failed} passed, ${failed} failed`)
  process.exit(failed ? 1 : 0)
}

main(process.argv.slice(2))
