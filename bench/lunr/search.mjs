#!/usr/bin/env node
/*
 * Baseline for the search benchmark: what mkdocs-material 9.x's built-in
 * search (lunr 2.3.9, run in a web worker) returns for a query.
 *
 *   node bench/lunr/search.mjs SITE_DIR QUERIES_JSON [--top N] [--scores]
 *
 * SITE_DIR/search/search_index.json is the index written by material's search
 * plugin; QUERIES_JSON is a file holding a JSON list of query strings. Prints a
 * JSON list with one entry per query: the ranked page locations (a page's
 * sections collapsed into the page), top 20 by default. With --scores each
 * entry is a list of {location, score} instead (score = the group's best
 * boosted score, the one material orders the groups by).
 *
 * The code below is a line-by-line port of material's search worker, taken from
 * the sources embedded in the installed package's source map
 * (material/templates/assets/javascripts/workers/search.*.min.js.map, 9.8.1):
 *
 *   src/templates/assets/javascripts/integrations/search/_/index.ts        Search
 *   src/templates/assets/javascripts/integrations/search/config/index.ts   setupSearchDocumentMap
 *   src/templates/assets/javascripts/integrations/search/internal/...      split, extract, tokenize
 *   src/templates/assets/javascripts/integrations/search/query/_/index.ts  transformSearchQuery, parseSearchQuery, getSearchQueryTerms
 *   src/templates/assets/javascripts/integrations/search/query/transform/index.ts  transform
 *   src/templates/assets/javascripts/integrations/search/query/segment/index.ts    segment
 *
 * Material for MkDocs is (c) 2016-2025 Martin Donath, MIT licensed.
 * Highlighting and search suggestions are left out: they do not change ranking.
 */

import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"

const require = createRequire(import.meta.url)
const lunr = require("lunr")

if (lunr.version !== "2.3.9")
  console.error(`warning: lunr ${lunr.version} loaded, material bundles 2.3.9`)

/* Material's worker replaces lunr.utils.warn with console.warn; keep stdout JSON */
lunr.utils.warn = (...args) => console.error(...args)

/* ----------------------------------------------------------------------------
 * internal/_/index.ts
 * ------------------------------------------------------------------------- */

function split(input, separator, fn) {
  separator = new RegExp(separator, "g")

  let match
  let index = 0
  do {
    match = separator.exec(input)

    /* Emit non-empty range */
    const until = match?.index ?? input.length
    if (index < until)
      fn(index, until)

    /* Update last index */
    if (match) {
      const [term] = match
      index = match.index + term.length

      /* Support zero-length lookaheads */
      if (term.length === 0)
        separator.lastIndex = match.index + 1
    }
  } while (match)
}

/* ----------------------------------------------------------------------------
 * internal/extract/index.ts
 * ------------------------------------------------------------------------- */

const TAG_OPEN = 0, TEXT = 1, TAG_CLOSE = 2

function extract(input, fn) {
  let block = 0
  let start = 0
  let end = 0

  for (let stack = 0; end < input.length; end++) {

    /* Opening tag after non-empty section */
    if (input.charAt(end) === "<" && end > start) {
      fn(block, TEXT, start, start = end)

    /* Closing tag */
    } else if (input.charAt(end) === ">") {
      if (input.charAt(start + 1) === "/") {
        if (--stack === 0)
          fn(block++, TAG_CLOSE, start, end + 1)

      /* Tag is not self-closing */
      } else if (input.charAt(end - 1) !== "/") {
        if (stack++ === 0)
          fn(block, TAG_OPEN, start, end + 1)
      }

      /* New section */
      start = end + 1
    }
  }

  /* Add trailing section */
  if (end > start)
    fn(block, TEXT, start, end)
}

/* ----------------------------------------------------------------------------
 * internal/tokenize/index.ts - HTML-aware tokenizer replacing lunr's own
 * ------------------------------------------------------------------------- */

function tokenize(input) {
  const tokens = []
  if (typeof input === "undefined")
    return tokens

  const inputs = Array.isArray(input) ? input : [input]
  for (let i = 0; i < inputs.length; i++) {
    const table = lunr.tokenizer.table
    const total = table.length

    extract(inputs[i], (block, type, start, end) => {
      table[block += total] ||= []
      switch (type) {

        case TAG_OPEN:
        case TAG_CLOSE:
          table[block].push(
            start       << 12 |
            end - start <<  2 |
            type
          )
          break

        case TEXT:
          const section = inputs[i].slice(start, end)
          split(section, lunr.tokenizer.separator, (index, until) => {

            /* Segmenter (TinySegmenter, Japanese only) */
            if (typeof lunr.segmenter !== "undefined") {
              const subsection = section.slice(index, until)
              if (/^[MHIK]$/.test(lunr.segmenter.ctype_(subsection))) {
                const segments = lunr.segmenter.segment(subsection)
                for (let s = 0, l = 0; s < segments.length; s++) {
                  table[block] ||= []
                  table[block].push(
                    start + index + l  << 12 |
                    segments[s].length <<  2 |
                    type
                  )
                  tokens.push(new lunr.Token(
                    segments[s].toLowerCase(), {
                      position: block << 20 | table[block].length - 1
                    }
                  ))
                  l += segments[s].length
                }
                return
              }
            }

            table[block].push(
              start + index << 12 |
              until - index <<  2 |
              type
            )
            tokens.push(new lunr.Token(
              section.slice(index, until).toLowerCase(), {
                position: block << 20 | table[block].length - 1
              }
            ))
          })
      }
    })
  }
  return tokens
}

/* ----------------------------------------------------------------------------
 * config/index.ts
 * ------------------------------------------------------------------------- */

/* Maps page paths to articles and anchors to sections; sets doc.parent */
function setupSearchDocumentMap(docs) {
  const map = new Map()
  for (const doc of docs) {
    const [path] = doc.location.split("#")
    const article = map.get(path)
    if (typeof article === "undefined") {
      map.set(path, doc)
    } else {
      map.set(doc.location, doc)
      doc.parent = article
    }
  }
  return map
}

/* ----------------------------------------------------------------------------
 * query/transform/index.ts
 * ------------------------------------------------------------------------- */

function transform(query, fn = term => term) {
  return query

    /* => 1: trim */
    .trim()

    /* => 2: "quoted parts" become +required terms */
    .split(/"([^"]+)"/g)
      .map((parts, index) => index & 1
        ? parts.replace(/^\b|^(?![^\x00-\x7F]|$)|\s+/g, " +")
        : parts
      )
      .join("")

    /* => 3: drop stray control characters and unmatched quotes */
    .replace(/"|(?:^|\s+)[*+\-:^~]+(?=\s+|$)/g, "")

    /* => 4: split, tokenize, append trailing wildcard `term*` */
    .split(/\s+/g)
      .reduce((prev, term) => {
        const next = fn(term)
        return [...prev, ...Array.isArray(next) ? next : [next]]
      }, [])
      .map(term => /([~^]$)/.test(term) ? `${term}1` : term)
      .map(term => /(^[+-]|[~^]\d+$)/.test(term) ? term : `${term}*`)
      .join(" ")
}

/* ----------------------------------------------------------------------------
 * query/_/index.ts
 * ------------------------------------------------------------------------- */

function transformSearchQuery(query) {
  return transform(query, part => {
    const terms = []

    const lexer = new lunr.QueryLexer(part)
    lexer.run()

    for (const { type, str: term, start, end } of lexer.lexemes)
      switch (type) {

        /* Hack: remove colon unless it names a field */
        case "FIELD":
          if (!["title", "text", "tags"].includes(term))
            part = [
              part.slice(0, end),
              " ",
              part.slice(end + 1)
            ].join("")
          break

        /* Tokenize term with the index separator */
        case "TERM":
          split(term, lunr.tokenizer.separator, (...range) => {
            terms.push([
              part.slice(0, start),
              term.slice(...range),
              part.slice(end)
            ].join(""))
          })
      }

    return terms
  })
}

function parseSearchQuery(value) {
  const query  = new lunr.Query(["title", "text", "tags"])
  const parser = new lunr.QueryParser(value, query)

  parser.parse()
  for (const clause of query.clauses) {
    clause.usePipeline = true

    if (clause.term.startsWith("*")) {
      clause.wildcard = lunr.Query.wildcard.LEADING
      clause.term = clause.term.slice(1)
    }
    if (clause.term.endsWith("*")) {
      clause.wildcard = lunr.Query.wildcard.TRAILING
      clause.term = clause.term.slice(0, -1)
    }
  }
  return query.clauses
}

function getSearchQueryTerms(query, terms) {
  const clauses = new Set(query)

  const result = {}
  for (let t = 0; t < terms.length; t++)
    for (const clause of clauses)
      if (terms[t].startsWith(clause.term)) {
        result[clause.term] = true
        clauses.delete(clause)
      }

  /* Annotate unmatched non-stopword query clauses */
  for (const clause of clauses)
    if (lunr.stopWordFilter?.(clause.term))
      result[clause.term] = false

  return result
}

/* ----------------------------------------------------------------------------
 * query/segment/index.ts - Chinese query segmentation against the index
 * ------------------------------------------------------------------------- */

function segment(query, index) {
  const segments = new Set()

  const wordcuts = new Uint16Array(query.length)
  for (let i = 0; i < query.length; i++)
    for (let j = i + 1; j < query.length; j++) {
      const value = query.slice(i, j)
      if (value in index)
        wordcuts[i] = j - i
    }

  const stack = [0]
  for (let s = stack.length; s > 0;) {
    const p = stack[--s]
    for (let q = 1; q < wordcuts[p]; q++)
      if (wordcuts[p + q] > wordcuts[p] - q) {
        segments.add(query.slice(p, p + q))
        stack[s++] = p + q
      }

    const q = p + wordcuts[p]
    if (wordcuts[q] && q < query.length - 1)
      stack[s++] = q

    segments.add(query.slice(p, q))
  }

  if (segments.has(""))
    return new Set([query])

  return segments
}

/* ----------------------------------------------------------------------------
 * _/index.ts - class Search
 * ------------------------------------------------------------------------- */

function extractor(table) {
  return name => doc => {
    if (typeof doc[name] === "undefined")
      return undefined

    /* Compute identifier and initialize position table */
    const id = [doc.location, name].join(":")
    table.set(id, lunr.tokenizer.table = [])
    return doc[name]
  }
}

function difference(a, b) {
  const [x, y] = [new Set(a), new Set(b)]
  return [...new Set([...x].filter(value => !y.has(value)))]
}

export class Search {

  constructor({ config, docs }) {
    const field = extractor(this.table = new Map())

    this.map = setupSearchDocumentMap(docs)

    /* Language support: material loads lunr-languages for anything but "en" */
    if (config.lang.length !== 1 || config.lang[0] !== "en")
      throw new Error(
        `search lang ${JSON.stringify(config.lang)} is not supported here ` +
        `(only ["en"]; material would load lunr-languages)`
      )

    this.index = lunr(function () {
      this.metadataWhitelist = ["position"]
      this.b(0)                                /* no length normalisation */

      /* Custom tokenizer and separator from the index config */
      this.tokenizer = tokenize
      lunr.tokenizer.separator = new RegExp(config.separator)

      /* No segmenter (TinySegmenter is only loaded for "ja") */
      lunr.segmenter = undefined

      /* Remove pipeline functions not listed in config.pipeline */
      const fns = difference([
        "trimmer", "stopWordFilter", "stemmer"
      ], config.pipeline)
      for (const lang of config.lang.map(language => (
        language === "en" ? lunr : lunr[language]
      )))
        for (const fn of fns) {
          this.pipeline.remove(lang[fn])
          this.searchPipeline.remove(lang[fn])
        }

      this.ref("location")

      /* Fields and boosts from the index config (title 1e3, text 1, tags 1e6) */
      for (const [name, spec] of Object.entries(config.fields))
        this.field(name, { ...spec, extractor: field(name) })

      for (const doc of docs)
        this.add(doc, { boost: doc.boost })
    })
  }

  /* Returns the groups (one per page, in material's order); each group is the
     list of items (page and sections) with their boosted scores */
  search(query) {

    /* Experimental Chinese segmentation */
    query = query.replace(/\p{sc=Han}+/gu, value => {
      return [...segment(value, this.index.invertedIndex)]
        .join("* ")
    })

    query = transformSearchQuery(query)
    if (!query)
      return { items: [], query }

    const clauses = parseSearchQuery(query)
      .filter(clause => (
        clause.presence !== lunr.Query.presence.PROHIBITED
      ))

    const groups = this.index.search(query)

      /* Post-query boosts: articles and matched-term coverage */
      .reduce((item, { ref, score, matchData }) => {
        let doc = this.map.get(ref)
        if (typeof doc !== "undefined") {
          doc = { ...doc }
          if (doc.tags)
            doc.tags = [...doc.tags]

          const terms = getSearchQueryTerms(
            clauses,
            Object.keys(matchData.metadata)
          )

          /* (highlighting of fields skipped: it does not affect ranking) */

          const boost = +!doc.parent +
            Object.values(terms)
              .filter(t => t).length /
            Object.keys(terms).length

          item.push({
            ...doc,
            score: score * (1 + boost ** 2),
            terms
          })
        }
        return item
      }, [])

      /* Sort again after applying boosts */
      .sort((a, b) => b.score - a.score)

      /* Group search results by article */
      .reduce((items, result) => {
        const doc = this.map.get(result.location)
        if (typeof doc !== "undefined") {
          const ref = doc.parent
            ? doc.parent.location
            : doc.location
          items.set(ref, [...items.get(ref) || [], result])
        }
        return items
      }, new Map())

    /* Ensure that every item set has an article */
    for (const [ref, items] of groups)
      if (!items.find(item => item.location === ref)) {
        const doc = this.map.get(ref)
        items.push({ ...doc, score: 0, terms: {} })
      }

    return { items: [...groups.entries()], query }
  }
}

/* ----------------------------------------------------------------------------
 * CLI
 * ------------------------------------------------------------------------- */

function main(argv) {
  const args = []
  let top = 20
  let scores = false
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--top") top = Number(argv[++i])
    else if (argv[i] === "--scores") scores = true
    else args.push(argv[i])
  }
  if (args.length !== 2 || !(top > 0)) {
    console.error(
      "usage: node search.mjs SITE_DIR QUERIES_JSON [--top N] [--scores]")
    process.exit(2)
  }
  const [siteDir, queriesFile] = args

  const data = JSON.parse(
    readFileSync(join(siteDir, "search", "search_index.json"), "utf8"))
  const queries = JSON.parse(readFileSync(queriesFile, "utf8"))
  if (!Array.isArray(queries) || !queries.every(q => typeof q === "string")) {
    console.error(`${queriesFile}: expected a JSON list of strings`)
    process.exit(2)
  }

  const search = new Search({
    config: data.config,
    docs: data.docs,
    options: { suggest: false }
  })

  const out = queries.map(query => {
    let groups
    try {
      groups = search.search(query).items
    } catch (err) {
      /* Material's worker returns an empty result for an invalid query */
      console.error(`Invalid query: ${JSON.stringify(query)}: ${err.message}`)
      groups = []
    }
    return groups.slice(0, top).map(([location, items]) => scores
      ? { location, score: items[0].score }
      : location)
  })
  process.stdout.write(JSON.stringify(out, null, 2) + "\n")
}

if (process.argv[1] &&
    import.meta.url === pathToFileURL(resolve(process.argv[1])).href)
  main(process.argv.slice(2))
