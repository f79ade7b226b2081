package main

import (
	"os"
	"testing"
)

// TestMain keeps the case memo's secret (memoKey) out of the real user's
// cache folder: every test of this package gets its own.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "zfgs-usercache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
