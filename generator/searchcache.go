package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"os"
	"path/filepath"
	"sync"

	"zfgs/generator/internal/search"
	"zfgs/generator/internal/wire"
)

// deflateCache is search.Compressed over the previous output: a rebuild
// after one edit changes a few hundred of the index's files, and
// compressing the others again was a tenth of a rebuild. It remembers,
// per index file, the SHA-256 of the body and of the compressed file it
// wrote; a file whose body is unchanged is read back from the live output
// and used when its bytes still have that SHA-256.
//
// The record lives in the build cache (.cache/search.state), so it is
// authenticated like the case memo's index, with the secret outside the
// site folder and the generator (a new compressor could write other
// bytes) in the key.
//
// Beside it, .cache/search.prev is the index's own state
// (search.Builder.State, authenticated the same way): which documents the
// live output's index holds and which shard files it wrote, so that a
// rebuild tokenises only the documents that changed
// (search.Options.Previous).
type deflateCache struct {
	path     string   // of the record
	prevPath string   // of the index's state
	dir      string   // the live output's search/ folder
	key      [32]byte // memoKey of the program

	prev map[string]deflated // the last build's record

	mu    sync.Mutex
	next  map[string]deflated
	state []byte       // this build's index state, for Save
	stats search.Stats // this build's index
}

type deflated struct{ body, out [32]byte }

const deflateMagic = "zfgs-search-deflate-1\n"

// openDeflateCache reads the record of the last build for the output out;
// nil when the cache cannot be keyed (no secret).
func openDeflateCache(cacheDir, out string, program [32]byte) *deflateCache {
	if fi, err := os.Lstat(cacheDir); err == nil && !fi.IsDir() {
		return nil
	}
	key, ok := memoKey(sha256.Sum256(append([]byte("search deflate\x00"), program[:]...)), true)
	if !ok {
		return nil
	}
	c := &deflateCache{
		path: filepath.Join(cacheDir, "search.state"), prevPath: filepath.Join(cacheDir, "search.prev"),
		dir: filepath.Join(out, search.Dir),
		key: key, prev: map[string]deflated{}, next: map[string]deflated{},
	}
	body, ok := c.readSealed(c.path, deflateMagic)
	if !ok {
		return c
	}
	r := wire.NewReader(body)
	for len(r.Rest()) > 0 && r.Err() == nil {
		rel := r.String()
		var d deflated
		copy(d.body[:], r.Fixed(32))
		copy(d.out[:], r.Fixed(32))
		if r.Err() == nil {
			c.prev[rel] = d
		}
	}
	if r.Err() != nil {
		c.prev = map[string]deflated{}
	}
	return c
}

// Get implements search.Compressed.
func (c *deflateCache) Get(rel string, body []byte) ([]byte, bool) {
	d, ok := c.prev[rel]
	if !ok || sha256.Sum256(body) != d.body {
		return nil, false
	}
	out, err := os.ReadFile(filepath.Join(c.dir, filepath.FromSlash(rel)))
	if err != nil || sha256.Sum256(out) != d.out {
		return nil, false
	}
	c.mu.Lock()
	c.next[rel] = d
	c.mu.Unlock()
	return out, true
}

// Put implements search.Compressed.
func (c *deflateCache) Put(rel string, body, out []byte) {
	d := deflated{body: sha256.Sum256(body), out: sha256.Sum256(out)}
	c.mu.Lock()
	c.next[rel] = d
	c.mu.Unlock()
}

// mac authenticates a record: without the secret it cannot be forged.
func (c *deflateCache) mac(record []byte) []byte {
	h := hmac.New(sha256.New, c.key[:])
	h.Write(record)
	return h.Sum(nil)
}

const prevMagic = "zfgs-search-prev-1\n"

// previous returns the index the live output holds, for
// search.Options.Previous; nil when its state is missing, not genuine, or
// no longer that of the output's files.
//
// holds (see search.LoadPrevious) vouches for a shard file from the
// publish manifest, by its identity, instead of reading it.
func (c *deflateCache) previous(holds func(rel string, sum [32]byte) bool) *search.Previous {
	body, ok := c.readSealed(c.prevPath, prevMagic)
	if !ok {
		return nil
	}
	prev, err := search.LoadPrevious(body, func(rel string) ([]byte, error) {
		return os.ReadFile(filepath.Join(c.dir, filepath.FromSlash(rel)))
	}, holds)
	if err != nil {
		return nil
	}
	return prev
}

// keepState records this build's index and its state for Save.
func (c *deflateCache) keepState(st search.Stats, state []byte) { c.stats, c.state = st, state }

// Save writes this build's records, for a build that was published.
func (c *deflateCache) Save() error {
	if err := c.saveState(); err != nil {
		return err
	}
	var b bytes.Buffer
	c.mu.Lock()
	for rel, d := range c.next {
		b.Write(wire.AppendString(nil, rel))
		b.Write(d.body[:])
		b.Write(d.out[:])
	}
	c.mu.Unlock()
	return c.writeSealed(c.path, deflateMagic, b.Bytes())
}

// readSealed reads a record that writeSealed wrote: its body, or false
// when it is missing, of another kind, or not authenticated by the key.
func (c *deflateCache) readSealed(path, magic string) ([]byte, bool) {
	raw, err := os.ReadFile(path)
	if err != nil || len(raw) < len(magic)+sha256.Size || string(raw[:len(magic)]) != magic {
		return nil, false
	}
	body, mac := raw[:len(raw)-sha256.Size], raw[len(raw)-sha256.Size:]
	if !hmac.Equal(mac, c.mac(body)) {
		return nil, false
	}
	return body[len(magic):], true
}

// writeSealed replaces the record at path: magic, body, and an HMAC of
// both under the key.
func (c *deflateCache) writeSealed(path, magic string, body []byte) error {
	raw := append([]byte(magic), body...)
	raw = append(raw, c.mac(raw)...)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, raw, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// saveState writes the index state kept for the next build, or removes
// the last one when there is none (it would describe files that are
// gone).
func (c *deflateCache) saveState() error {
	if c.state == nil {
		if err := os.Remove(c.prevPath); err != nil && !os.IsNotExist(err) {
			return err
		}
		return nil
	}
	return c.writeSealed(c.prevPath, prevMagic, c.state)
}
