package render

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"
)

// The decision lists, their QR sheets and their open-data files grow with
// the number of decisions (a million make 40,000 list pages) but a
// one-decision edit changes only the few that show it. With Options.Cache
// each is a cached group, keyed by the scope key of its agency (of every
// agency for the site-wide lists) and what the page shows:
// the summaries of its rows (their digests, see rowDigests), its place in its list
// and the counts it links. An unchanged one is taken over from the
// previous output without decoding a row or executing a template.

// listKey sums up a list page or data file: the scope key of its agency
// ("": the site's), what it is (kind: layout or data kind, and its path)
// and whatever parts adds.
func (b *Build) listKey(agency, kind, path string, parts func(h hash.Hash)) [32]byte {
	h := sha256.New()
	scope := b.r.opt.Scope.Of(agency)
	h.Write(scope[:])
	h.Write([]byte("list\x00" + kind + "\x00" + path + "\x00"))
	parts(h)
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// hashInts writes numbers into h.
func hashInts(h hash.Hash, v ...int) {
	var buf [binary.MaxVarintLen64]byte
	for _, n := range v {
		h.Write(buf[:binary.PutVarint(buf[:], int64(n))])
	}
}

// hashYears writes a year list (years and counts) into h.
func hashYears(h hash.Hash, ys []yearCount) {
	hashInts(h, len(ys))
	for _, y := range ys {
		hashInts(h, y.Year, y.Count)
	}
}

// hashRows writes the summaries at list into h, as their row digests.
func (st *summaryStore) hashRows(h hash.Hash, list []int32) {
	digests := st.rowDigests()
	hashInts(h, len(list))
	for _, i := range list {
		h.Write(digests[i][:])
	}
}

// rowDigests sums up each summary (its keys and its encoding) once for
// the whole build. A case is on several lists (the site's, its agency's,
// each by year, their data files, the QR sheets), whose keys hashed its
// ~300 bytes every time: at a million decisions 3.4 s of a rebuild's CPU.
// 16 bytes of SHA-256 keep accidental collisions out of reach like the
// manifest's keys.
func (st *summaryStore) rowDigests() [][16]byte {
	st.digestOnce.Do(func() {
		n := len(st.refs)
		st.digests = make([][16]byte, n)
		const block = 4096 // rows a task: one hash state each
		forEach((n+block-1)/block, func(k int) error {
			h := sha256.New()
			var sum [sha256.Size]byte
			for i := (k - 1) * block; i < min(n, k*block); i++ {
				r := &st.refs[i]
				end := int64(len(st.arena))
				if i+1 < n {
					end = st.refs[i+1].off
				}
				rec := st.arena[r.off:end]
				h.Reset()
				hashInts(h, len(rec), int(r.decided), int(r.published), int(r.year))
				flags := byte(0)
				if r.onTime {
					flags |= 1
				}
				if r.tombstoned {
					flags |= 2
				}
				h.Write([]byte{flags})
				h.Write(rec)
				st.digests[i] = [16]byte(h.Sum(sum[:0]))
			}
			return nil
		})
	})
	return st.digests
}

// writeCachedPage writes the page that view makes, unless the cache has
// it under a key made with parts; view runs only when the page is made.
func (b *Build) writeCachedPage(agency, layout, path string, listed bool, parts func(h hash.Hash), view func() *page) error {
	cache := b.r.opt.Cache
	if cache == nil {
		return b.write(layout, view(), listed)
	}
	key := b.listKey(agency, layout, path, parts)
	if cache.Reuse(path, key) {
		b.mu.Lock()
		if listed {
			b.pages = append(b.pages, path)
		} else {
			b.unlisted++
		}
		b.mu.Unlock()
		return nil
	}
	gw := cache.Group(path, key)
	if err := b.writeTo(gw, layout, view(), listed); err != nil {
		return err
	}
	gw.Done()
	return nil
}

// writeCachedData writes the data files that fill makes, unless the cache
// has them under a key made with parts; fill runs only when they are made
// (twice when streamed: once for each file).
func (b *Build) writeCachedData(scope, scopeName, kind, title string, cols []column, parts func(h hash.Hash), fill func(d *dataset)) ([]link, error) {
	made := func() *dataset {
		d := &dataset{cols: cols}
		fill(d)
		return d
	}
	cache := b.r.opt.Cache
	if cache == nil {
		return b.writeData(scope, scopeName, kind, title, made())
	}
	csvPath := dataPath(scope, kind, "csv")
	key := b.listKey(scope, "data\x00"+title+"\x00"+scopeName, csvPath, parts)
	if cache.Reuse(csvPath, key) {
		return b.recordData(scope, scopeName, kind, title), nil
	}
	gw := cache.Group(csvPath, key)
	var err error
	if sw, ok := gw.(streamWriter); ok {
		err = b.streamDataFiles(sw, scope, kind, cols, fill)
	} else {
		err = b.writeDataFiles(gw, scope, kind, made())
	}
	if err != nil {
		return nil, err
	}
	gw.Done()
	return b.recordData(scope, scopeName, kind, title), nil
}
