// Package search builds the portal's static full-text index, in Go, from
// the site model, in the same pass as the pages, and web/js/search.js (with
// search-engine.js)
// queries it in the browser (/search/?q=…).
//
// Use:
//
//	b := search.NewBuilder()
//	// from site.Run's workers, for each checked case:
//	if d, ok := search.CaseDoc(c, "/c/"+c.ID+"/"); ok { b.Add(d) }
//	// after site.Run, for every list row:
//	b.Add(search.ItemDoc(it, url)) // BenchmarkDoc, LeniencyDoc, TaskDoc, OfficerDoc
//	stats, err := b.Write(tx.WriteFile) // writes search/index.json, search/t2s.bin, search/s/*.bin, search/r/*.bin
//
// The search page is search/index.html (a layout of the renderer); its DOM
// contract is documented at the top of web/js/search.js and shown in
// testdata/page.html.
//
// Matching is Chinese-aware without a dictionary: text is normalised
// (Normalize: Traditional → Simplified from OpenCC's table, full-width →
// half-width, ASCII lower case, 文号 brackets 〔〕［］【】()（） folded to
// "()") and indexed as character bigrams, single characters of short fields,
// ASCII words whole and as character trigrams (Tokens). So any substring of
// a name or title finds it, a 文号 fragment typed with any brackets finds
// its decision, and a fragment of a code or credit code finds it. Results
// rank exact title (or key) matches first, then title matches with the
// shorter title first, then matches in other fields; within a rank, by kind
// (items, benchmarks, lists, tasks, officers, decisions) and newest first.
//
// What is in the index is decided by the Doc values: CaseDoc refuses minors'
// cases and tombstones, masks a natural person's name everywhere (also in
// Traditional or full-width spelling) and leaves out their credit code.
//
// Files: the manifest names the shard count and boundaries (16-bit hash
// buckets of the tokens), the record chunk size, kinds, agencies and the
// document ranges per kind and year (documents are numbered in kind, year
// order, so the kind and year filters and their counts need no postings).
// A query downloads the manifest, the T→S table if it has CJK characters,
// one shard per token it looks up (at most 10) and one record file per
// distinct chunk of the current page's ten results. See format.go.
package search
