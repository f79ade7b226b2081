// Package scope sums up, per agency, what a case's checks and pages are
// made from besides the case file itself, so that the build cache takes a
// case over after any edit that cannot have changed it.
//
// A case is checked against, and shows, its own agency and that agency's
// ancestors (an item is the agency's own or claimed from an ancestor; a
// benchmark or leniency entry must be the agency's or an ancestor's; an
// officer must be the agency's), plus the site-wide settings. So its key
// chains:
//
//   - the site-wide inputs: the generator, config.toml, layouts/, and every
//     file under content/ outside the agency folders except the statistics
//     template (content/stats.toml) and the portal intro
//     (content/_index.md), which only the statistics pages and the home
//     page read;
//   - its agency's folder without cases/, plans/ and stats/: the annual
//     inspection plans and statistics are due every January and show on
//     their own pages only;
//   - the same of each ancestor.
//
// Editing one agency's catalogue re-renders that agency's cases and its
// descendants', nobody else's; publishing a plan or the annual figures
// re-renders no case at all. This holds because the case views show an
// agency's identity only (render's agencyRef), never its lists, and
// because a site whose lists have errors (a duplicate id could make a
// reference resolve elsewhere) takes no case over: the build that fails
// on them reads every case.
package scope

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"zfgs/generator/internal/model"
)

// Inputs are the sums of the files, before the site is loaded (which is
// what tells each agency's parent).
type Inputs struct {
	env [32]byte
	own map[string][32]byte // agency folder name → its folder's sum
}

// Read sums up the inputs of the site at source, built by a generator
// whose own executable sums to program.
func Read(source string, program [32]byte) (*Inputs, error) {
	env := sha256.New()
	env.Write([]byte("zfgs scope 1\x00"))
	env.Write(program[:])
	in := &Inputs{own: map[string][32]byte{}}
	agencies := map[string]hash.Hash{}
	if err := hashFile(env, source, "config.toml"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, top := range []string{"content", "layouts"} {
		root := filepath.Join(source, top)
		err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				if p == root && errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			rel, _ := filepath.Rel(source, p)
			rel = filepath.ToSlash(rel)
			agency, within, skip := place(rel)
			if skip {
				if e.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if e.IsDir() {
				return nil
			}
			h, full := env, rel
			if agency != "" {
				if h = agencies[agency]; h == nil {
					h = sha256.New()
					agencies[agency] = h
				}
				rel = within
			}
			// Symbolic links and special files are refused by the loader;
			// the type still goes into the sum.
			fmt.Fprintf(h, "%s\x00%v\x00", rel, e.Type())
			if e.Type().IsRegular() {
				return hashFile(h, source, full)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	env.Sum(in.env[:0])
	for id, h := range agencies {
		var k [32]byte
		h.Sum(k[:0])
		in.own[id] = k
	}
	return in, nil
}

// place says where a path under the site root belongs: to an agency's
// folder (agency, and the path within it), to the site-wide inputs
// (agency ""), or to neither (skip: a case, a plan, a statistics file, or
// one of the two site files no case reads).
func place(rel string) (agency, within string, skip bool) {
	switch rel {
	case "content/stats.toml", "content/_index.md":
		return "", "", true
	}
	parts := strings.SplitN(rel, "/", 5)
	if len(parts) < 4 || parts[0] != "content" || parts[1] != "agencies" {
		return "", "", false // site-wide, or an agency folder itself
	}
	switch parts[3] {
	case "cases", "plans", "stats":
		return "", "", true
	}
	return parts[2], strings.Join(parts[3:], "/"), false
}

// Env is the sum of the site-wide inputs alone.
func (in *Inputs) Env() [32]byte { return in.env }

// Keys are the loaded site's agencies' keys.
type Keys struct {
	all [32]byte
	of  map[string][32]byte
}

// Keys chains each agency of s with its ancestors. Call it after the
// site's checks have resolved the parents (and cut any cycle).
func (in *Inputs) Keys(s *model.Site) *Keys {
	k := &Keys{of: make(map[string][32]byte, len(s.Agencies))}
	all := sha256.New()
	all.Write([]byte("all\x00"))
	all.Write(in.env[:])
	for _, id := range slices.Sorted(maps.Keys(in.own)) {
		own := in.own[id]
		all.Write([]byte(id + "\x00"))
		all.Write(own[:])
	}
	all.Sum(k.all[:0])
	for _, a := range s.Agencies {
		k.chain(in, a, 0)
	}
	return k
}

// chain returns a's key, making its ancestors' first. depth stops a cycle
// that the site's checks have not cut (they report it as an error, and a
// site with errors takes no case over).
func (k *Keys) chain(in *Inputs, a *model.Agency, depth int) [32]byte {
	if key, ok := k.of[a.ID]; ok {
		return key
	}
	h := sha256.New()
	h.Write([]byte("agency\x00" + a.ID + "\x00"))
	h.Write(in.env[:])
	own := in.own[a.ID]
	h.Write(own[:])
	if a.Parent != nil && depth < 64 {
		parent := k.chain(in, a.Parent, depth+1)
		h.Write(parent[:])
	}
	var key [32]byte
	h.Sum(key[:0])
	k.of[a.ID] = key
	return key
}

// Of is the key of the agency with that id, or with "" the key of every
// agency at once (for the site-wide lists).
func (k *Keys) Of(agencyID string) [32]byte {
	if agencyID == "" {
		return k.all
	}
	return k.of[agencyID]
}

func hashFile(h hash.Hash, source, rel string) error {
	f, err := os.Open(filepath.Join(source, filepath.FromSlash(rel)))
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(fi.Size()))
	h.Write([]byte(rel))
	h.Write(n[:])
	_, err = io.Copy(h, f)
	return err
}
