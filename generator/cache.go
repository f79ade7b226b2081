package main

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"zfgs/generator/internal/casememo"
	"zfgs/generator/internal/publish"
	"zfgs/generator/internal/render"
	"zfgs/generator/internal/scope"
)

// The build cache: a case's page and its QR codes are taken over from the
// previous output, by hard link, when nothing they are made from has
// changed. It lives in <source>/.cache (git-ignored), never in the output.
//
// What a case page is made from is summed up as its agency's scope key
// (package scope) plus the case file's own bytes and its status on the
// build date (render.Renderer.caseKey); a QR code is made from the generator, the
// base URL, the error-correction level and the case id (qrKey). Anything
// not in those keys cannot change the files, which is what the
// incremental-equals-cold test checks.

// buildCache is one build's use of the cache; nil means none.
type buildCache struct {
	tx       *publish.Tx
	scope    *scope.Inputs // what each agency's cases are made from
	program  [32]byte      // the generator's own executable
	deflated *deflateCache // the search index's compressed files; nil: none
}

// startCache turns the cache on for tx. A failure to sum up the inputs
// turns it off (the build renders everything), never fails the build.
//
// inPlace asks for an in-place update of the output (publish.Tx.UseCache).
func startCache(tx *publish.Tx, source, cacheDir string, inPlace bool) *buildCache {
	// A cache folder that is a symbolic link (say, committed to an
	// agency's repository) could make a build write where it points: the
	// build then goes without the cache.
	if fi, err := os.Lstat(cacheDir); err == nil && !fi.IsDir() {
		return nil
	}
	prog, err := programDigest()
	if err != nil {
		return nil
	}
	in, err := scope.Read(source, prog)
	if err != nil {
		return nil
	}
	// The manifest is sealed with the cache secret, so that an output
	// restored from a CI cache (new inodes) is taken over after its files'
	// content is checked against it, instead of being made again.
	var seal []byte
	if k, ok := memoKey(sha256.Sum256([]byte("zfgs publish manifest")), true); ok {
		seal = k[:]
	}
	tx.UseCache(publish.ManifestPath(cacheDir, tx.Out()), inPlace, seal)
	return &buildCache{tx: tx, scope: in, program: prog, deflated: openDeflateCache(cacheDir, tx.Out(), prog)}
}

// renderCache adapts the publish transaction to render.CaseCache.
type renderCache struct{ tx *publish.Tx }

func (c renderCache) Reuse(name string, key [32]byte) bool { return c.tx.Reuse(name, key) }

func (c renderCache) Group(name string, key [32]byte) render.GroupWriter {
	return c.tx.Group(name, key)
}

// programDigest sums up the running generator: its templates, styles,
// scripts and code are all compiled in, so a new generator invalidates
// every cached page.
func programDigest() ([32]byte, error) {
	exe, err := os.Executable()
	if err != nil {
		return [32]byte{}, err
	}
	f, err := os.Open(exe)
	if err != nil {
		return [32]byte{}, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return [32]byte{}, err
	}
	var d [32]byte
	h.Sum(d[:0])
	return d, nil
}

// qrKey sums up what a case's QR files are made from.
func (c *buildCache) qrKey(base string, level fmt.Stringer, id string) [32]byte {
	h := sha256.New()
	h.Write(c.program[:])
	fmt.Fprintf(h, "%s\x00%s\x00%s", base, level, id)
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// memoKey is the key of the case memo (casememo): the site-wide inputs
// (scope.Inputs.Env; each record also names its agency's scope key), bound to
// a secret kept outside the site's folder. The memo lives in .cache/ of
// the content repository, and a record says what a case file's checks
// found; anyone able to commit a forged .cache/ could otherwise make an
// E_PII finding vanish from CI. Without the secret a forged memo has the
// wrong key and is not used. The secret is ZFGS_CACHE_SECRET (a CI secret
// variable) or else a random key created in the user's cache folder
// (~/.cache/zfgs/casememo.key, made by the first build; check, which
// writes nothing, only reads it: create); false: neither is available,
// and the run goes without the memo.
func memoKey(env [32]byte, create bool) ([32]byte, bool) {
	secret := []byte(os.Getenv("ZFGS_CACHE_SECRET"))
	if len(secret) == 0 {
		var ok bool
		if secret, ok = userSecret(create); !ok {
			return [32]byte{}, false
		}
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("zfgs casememo\x00"))
	mac.Write(env[:])
	return [32]byte(mac.Sum(nil)), true
}

// userSecret reads, or creates, 32 random bytes only this user can read.
func userSecret(create bool) ([]byte, bool) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return nil, false
	}
	p := filepath.Join(dir, "zfgs", "casememo.key")
	if b, err := os.ReadFile(p); err == nil && len(b) >= 32 {
		return b, true
	}
	if !create {
		return nil, false
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, false
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return nil, false
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		// Created meanwhile by a concurrent build: use that one.
		b, err := os.ReadFile(p)
		return b, err == nil && len(b) >= 32
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return b, err == nil
}

// openCaseMemo opens the case memo of a build (readOnly: of a check) in
// cacheDir/cases; nil when the cache folder is a symbolic link or its key
// cannot be made.
func openCaseMemo(cacheDir string, env [32]byte, files casememo.Files, readOnly bool) *casememo.Memo {
	if fi, err := os.Lstat(cacheDir); err == nil && !fi.IsDir() {
		return nil
	}
	key, ok := memoKey(env, !readOnly)
	if !ok {
		return nil
	}
	dir := filepath.Join(cacheDir, "cases")
	if readOnly {
		return casememo.OpenReadOnly(dir, key, files)
	}
	return casememo.Open(dir, key, files)
}
