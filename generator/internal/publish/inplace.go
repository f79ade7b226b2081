package publish

// In-place publishing: the incremental alternative to the whole-tree swap.
//
// Swapping needs a complete new tree, and even when every unchanged file is
// a hard link, a million-case portal is millions of links, directories and,
// afterwards, deletions: tens of seconds of file system work for a build
// that changed one page. In place, the unchanged files stay where they are;
// only the changed ones are written, to the temporary directory as before,
// and Commit moves them in:
//
//  1. This build's manifest lists every output file. The previous one's
//     files that this build does not produce are the deletions.
//  2. The journal (a sibling of the output: the list of files to move in
//     and to delete, and where from) is written, synced and renamed into
//     place: from here the build will be completed whatever happens.
//  3. The deletions, then one rename(2) per changed file.
//  4. The manifest is put in place and the journal removed.
//
// A build that fails (content errors, a full disk) before step 2 leaves the
// output untouched, like a swap. A build killed during step 3 leaves every
// file whole, old or new (rename replaces a file atomically), and the next
// Begin on that output finishes it from the journal before anything else.
// What in-place publishing gives up is that a reader during those
// milliseconds may see some pages new and others old; that is why it is
// opt-in (build --in-place, and serve's preview), and the swap stays the
// default.

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

const journalMagic = "zfgs-publish-journal 1"

// journalPath is where the journal of output out is kept: beside it, on
// the same file system, so no build into another directory touches it.
func journalPath(out string) string {
	return filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".journal")
}

type journal struct {
	gen      string   // the build's generation; the output is marked pending it
	tmp      string   // the staging directory files are moved from
	manifest string   // the manifest, dropped if the journal is replayed
	moves    []string // relative paths staged in tmp, to move into out
	deletes  []string // relative paths to delete from out
}

// commitInPlace is Commit for a build that updates the output in place.
func (t *Tx) commitInPlace() error {
	j, err := t.prepareInPlace()
	if err != nil {
		os.RemoveAll(t.tmp)
		return fmt.Errorf("无法发布到 %s%s；原有网站文件未受影响：%w", t.out, reason(err), err)
	}
	// Committed: from here on, an interruption is finished by the next
	// build.
	if err := j.apply(t.out); err != nil {
		return fmt.Errorf("发布到 %s 时中断%s，下次生成时会自动完成：%w", t.out, reason(err), err)
	}
	t.saveManifest()
	setGeneration(t.out, t.gen)
	os.Remove(journalPath(t.out))
	return removeTree(t.tmp)
}

// prepareInPlace works out the deletions and writes the journal: the
// commit point of an in-place build. Until it returns without error, the
// output is untouched.
func (t *Tx) prepareInPlace() (*journal, error) {
	c := &t.cache
	if c.err != nil {
		return nil, c.err
	}
	if err := c.w.Flush(); err != nil {
		return nil, err
	}
	dels, err := c.deletions()
	if err != nil {
		return nil, err
	}
	j := &journal{gen: t.gen, tmp: t.tmp, manifest: c.path, moves: t.staged, deletes: dels}
	sort.Strings(j.moves)
	if err := syncDir(t.tmp); err != nil {
		return nil, err
	}
	// The output is marked pending this build first: until the new
	// generation is set, no build trusts a manifest for it, and only a
	// journal of this build is ever replayed on it (a journal file alone,
	// say from an agency's commit into the folder beside the output, is
	// not).
	if err := unix.Setxattr(t.out, generationAttr, []byte(pendingPrefix+t.gen), 0); err != nil {
		return nil, err
	}
	return j, writeJournal(journalPath(t.out), j)
}

// deletions lists the files of the previous manifest that this build's
// does not have. Files are compared by a 64-bit hash of their path: a
// collision can only keep a stale file, never delete a live one.
//
// A record taken over whole (Reuse) is skipped without decoding it: its
// files are all in this build. So a rebuild that changed a few cases
// decodes a few records of the previous manifest, not millions, and this
// build's manifest not at all (its files were hashed as they were
// recorded).
func (c *groupCache) deletions() ([]string, error) {
	// A sorted list, not a map: 8 bytes a file (32 MB for the four million
	// files of a million decisions), not five times that.
	produced := c.produced
	slices.Sort(produced)
	var dels []string
	for i, off := range c.offs {
		if c.taken[i/64].Load()&(1<<(i%64)) != 0 {
			continue
		}
		_, g, err := decodeGroup(c.raw[off:])
		if err != nil {
			return nil, err // readManifest decoded it once: the file changed under the build
		}
		for _, f := range g.files {
			if _, ok := slices.BinarySearch(produced, hash64(f.rel)); !ok {
				dels = append(dels, f.rel)
			}
		}
	}
	sort.Strings(dels)
	return dels, nil
}

func writeJournal(path string, j *journal) error {
	// Beside the output is often the site's own folder, which an
	// agency's commit fills: never write through something found there.
	// O_EXCL creates a new file or fails, a symbolic link included.
	tmp := path + ".tmp"
	os.Remove(tmp)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "%s\n%s\n%s\n%s\n", journalMagic, j.gen, strconv.Quote(j.tmp), strconv.Quote(j.manifest))
	for _, rel := range j.deletes {
		fmt.Fprintf(w, "D %s\n", strconv.Quote(rel))
	}
	for _, rel := range j.moves {
		fmt.Fprintf(w, "M %s\n", strconv.Quote(rel))
	}
	fmt.Fprintln(w, "END")
	err = w.Flush()
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

var errJournal = errors.New("发布日志已损坏")

func readJournal(path string) (*journal, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(string(data), "\n")
	if len(lines) < 5 || lines[0] != journalMagic || lines[len(lines)-2] != "END" || len(lines[1]) != genLen {
		return nil, errJournal
	}
	j := &journal{gen: lines[1]}
	if j.tmp, err = strconv.Unquote(lines[2]); err != nil {
		return nil, errJournal
	}
	if j.manifest, err = strconv.Unquote(lines[3]); err != nil {
		return nil, errJournal
	}
	for _, l := range lines[4 : len(lines)-2] {
		op, q, ok := strings.Cut(l, " ")
		rel, err := strconv.Unquote(q)
		if !ok || err != nil || !validRel(rel) {
			return nil, errJournal
		}
		switch op {
		case "D":
			j.deletes = append(j.deletes, rel)
		case "M":
			j.moves = append(j.moves, rel)
		default:
			return nil, errJournal
		}
	}
	return j, nil
}

// apply carries a journal out on out. It can run any number of times: what
// is already deleted or moved is skipped.
func (j *journal) apply(out string) error {
	for _, rel := range j.deletes {
		p := filepath.Join(out, filepath.FromSlash(rel))
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		// A directory left empty goes too (never out itself).
		for dir := filepath.Dir(p); dir != out && strings.HasPrefix(dir, out+string(filepath.Separator)); dir = filepath.Dir(dir) {
			if os.Remove(dir) != nil {
				break
			}
		}
	}
	for _, rel := range j.moves {
		src := filepath.Join(j.tmp, filepath.FromSlash(rel))
		dst := filepath.Join(out, filepath.FromSlash(rel))
		if _, err := os.Lstat(src); errors.Is(err, fs.ErrNotExist) {
			continue // moved before an interruption
		}
		if err := inDir(dst, func() error { return os.Rename(src, dst) }); err != nil {
			return err
		}
	}
	return nil
}

// recoverJournal finishes an in-place build of out that was interrupted
// after its journal was written. Its manifest is dropped: the output is
// complete, but no longer exactly what any manifest describes, so the next
// build swaps in a whole new tree.
func recoverJournal(out string) error {
	path := journalPath(out)
	j, err := readJournal(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		// Never renamed into place unless complete: this is not ours to
		// trust. The output is left as it is; the next build swaps.
		os.Remove(path)
		return nil
	}
	// Ours only if out is marked pending this very journal's build, and it
	// names a staging directory beside out and a manifest: anything else
	// was not written by us, and is not followed.
	if !pending(out, j.gen) || filepath.Dir(j.tmp) != filepath.Dir(out) || !strings.HasPrefix(filepath.Base(j.tmp), "."+filepath.Base(out)+tmpPrefix) ||
		(j.manifest != "" && !strings.HasSuffix(j.manifest, ".manifest")) {
		os.Remove(path)
		return nil
	}
	if err := j.apply(out); err != nil {
		return err
	}
	if j.manifest != "" {
		os.Remove(j.manifest)
	}
	os.RemoveAll(j.tmp)
	return os.Remove(path)
}

// The generation of an output is a random token that every build
// publishing to it sets as an extended attribute of the output directory
// (so it is bound to that directory and never part of the site), and
// records in its manifest. A manifest whose generation is not the output's
// current one describes an older state of it. Where extended attributes
// are not supported, there is no generation, and no in-place build.

const (
	generationAttr = "user.zfgs.generation"
	pendingPrefix  = "pending-" // + the generation of an in-place build being committed
)

// pending reports whether dir is marked as being updated in place by the
// build of generation gen.
func pending(dir, gen string) bool {
	b := make([]byte, len(pendingPrefix)+genLen+1)
	n, err := unix.Getxattr(dir, generationAttr, b)
	return err == nil && string(b[:n]) == pendingPrefix+gen
}

func newGeneration() string {
	var b [genLen / 2]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func readGeneration(dir string) string {
	b := make([]byte, genLen+1)
	n, err := unix.Getxattr(dir, generationAttr, b)
	if err != nil || n != genLen {
		return ""
	}
	return string(b[:n])
}

// setGeneration records gen as dir's generation; failing, it removes any
// older one, so that no later build goes in place on a stale manifest.
func setGeneration(dir, gen string) {
	if unix.Setxattr(dir, generationAttr, []byte(gen), 0) != nil {
		unix.Removexattr(dir, generationAttr)
	}
}
