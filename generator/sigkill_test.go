package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"zfgs/generator/internal/gendemo"
)

// TestSIGKILLLeavesPreviousOutput kills real `generator build` processes
// with SIGKILL at random moments and checks that the output directory is
// always one complete build — the previous one or the new one — never a
// mixture or a partial tree. ZFGS_SIGKILL_RUNS sets the number of kills
// (default 12; the issue-8 figure uses 50).
func TestSIGKILLLeavesPreviousOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a site many times")
	}
	runs, tmp, bin := killSetup(t, 12)
	// Two versions of one site that differ in every page (the intro is on
	// the home page, the title on every page).
	srcA, srcB := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	for _, dir := range []string{srcA, srcB} {
		if err := gendemo.Generate(dir, gendemo.Options{Cases: 800, Agencies: 9, Seed: 7}); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(srcB, "config.toml")
	data, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, append([]byte("title = \"第二版\"\n"), dropFirstLine(data)...), 0o644)

	out := filepath.Join(tmp, "public")
	build := func(src string) *exec.Cmd {
		return exec.Command(bin, "build", "--source", src, "--out", out, "--now", "2026-11-24")
	}
	hashes := map[string]string{}
	for _, src := range []string{srcA, srcB} {
		start := time.Now()
		if b, err := build(src).CombinedOutput(); err != nil {
			t.Fatalf("build %s: %v\n%s", src, err, b)
		}
		t.Logf("full build of %s: %v", filepath.Base(src), time.Since(start))
		hashes[treeHash(t, out)] = src
	}
	if len(hashes) != 2 {
		t.Fatal("the two versions build to the same output")
	}
	span := 1500 * time.Millisecond
	r := rand.New(rand.NewPCG(1, 2))
	survivedA, survivedB := 0, 0
	for i := 0; i < runs; i++ {
		cur := hashes[treeHash(t, out)]
		next := srcA
		if cur == srcA {
			next = srcB
		}
		cmd := build(next)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(r.Int64N(int64(span))))
		cmd.Process.Kill() // SIGKILL
		cmd.Wait()
		h := treeHash(t, out)
		got, ok := hashes[h]
		if !ok {
			t.Fatalf("kill %d: output is neither complete build (a mixture or partial tree)", i)
		}
		if got == next {
			survivedB++
		} else {
			survivedA++
		}
	}
	t.Logf("%d kills: previous output intact %d times, new build had completed %d times", runs, survivedA, survivedB)
}

// TestSIGKILLInPlace kills `generator build --in-place` at random moments.
// In place, a kill after the commit point leaves a mixture of old and new
// files for a moment; what must hold is that every file is whole (exactly
// its old or its new version, never a torn or half-renamed one), and that
// the next build finishes the interrupted one and then produces exactly
// what a cold build does.
func TestSIGKILLInPlace(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a site many times")
	}
	requireXattr(t)
	runs, tmp, bin := killSetup(t, 8)
	src := filepath.Join(tmp, "site")
	if err := gendemo.Generate(src, gendemo.Options{Cases: 800, Agencies: 9, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	// The two versions differ in every page: the site title.
	cfg := filepath.Join(src, "config.toml")
	base, _ := os.ReadFile(cfg)
	versions := [][]byte{base, append([]byte("title = \"第二版\"\n"), dropFirstLine(base)...)}
	out := filepath.Join(tmp, "public")
	build := func(v int, extra ...string) *exec.Cmd {
		os.WriteFile(cfg, versions[v], 0o644)
		return exec.Command(bin, append([]string{"build", "--source", src, "--out", out, "--now", "2026-11-24"}, extra...)...)
	}
	// Every file of each version, cold.
	files := make([]map[string]string, 2)
	for v := range versions {
		cold := filepath.Join(tmp, "cold"+strconv.Itoa(v))
		cmd := build(v, "--no-cache", "--out", cold)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("cold build: %v\n%s", err, b)
		}
		files[v] = fileHashes(t, cold)
	}
	if b, err := build(0, "--in-place").CombinedOutput(); err != nil {
		t.Fatalf("first build: %v\n%s", err, b)
	}
	r := rand.New(rand.NewPCG(3, 4))
	cur, mixed := 0, 0
	for i := 0; i < runs; i++ {
		next := 1 - cur
		cmd := build(next, "--in-place")
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(r.Int64N(int64(1200 * time.Millisecond))))
		cmd.Process.Kill()
		cmd.Wait()
		got := fileHashes(t, out)
		fromNew := 0
		for rel, h := range got {
			switch h {
			case files[next][rel]:
				if h != files[cur][rel] {
					fromNew++
				}
			case files[cur][rel]:
			default:
				t.Fatalf("kill %d after %v: %s is neither its old nor its new version", i, time.Since(start), rel)
			}
		}
		changed := 0
		for rel, h := range files[next] {
			if files[cur][rel] != h {
				changed++
			}
		}
		if fromNew > 0 && fromNew < changed {
			mixed++
		}
		// The next build finishes the interrupted one, then builds.
		if b, err := build(next, "--in-place").CombinedOutput(); err != nil {
			t.Fatalf("build after kill %d: %v\n%s", i, err, b)
		}
		if got := fileHashes(t, out); !sameHashes(got, files[next]) {
			t.Fatalf("after kill %d and a rebuild, the output is not the cold build's", i)
		}
		cur = next
	}
	t.Logf("%d kills, %d of them in the middle of moving files in", runs, mixed)
}

// killSetup builds the generator binary (the kill tests need a process
// of their own) into a temporary folder and returns how many kills to make
// (ZFGS_SIGKILL_RUNS, else def), the folder and the binary.
func killSetup(t *testing.T, def int) (runs int, tmp, bin string) {
	t.Helper()
	runs = def
	if n, err := strconv.Atoi(os.Getenv("ZFGS_SIGKILL_RUNS")); err == nil && n > 0 {
		runs = n
	}
	tmp = t.TempDir()
	bin = filepath.Join(tmp, "generator")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return runs, tmp, bin
}

// fileHashes maps every file under dir to the hash of its bytes.
func fileHashes(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		sum := sha256.Sum256(data)
		m[rel] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatalf("walk: %v", err)
	}
	return m
}

func sameHashes(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func dropFirstLine(b []byte) []byte {
	for i, c := range b {
		if c == '\n' {
			return b[i+1:]
		}
	}
	return nil
}

// treeHash hashes every path and file of dir.
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		h.Write([]byte(rel + "\x00"))
		if d.Type().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			h.Write(data)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk output: %v", err)
	}
	return hex.EncodeToString(h.Sum(nil))
}
