package render

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// forEach runs fn(1..n) on GOMAXPROCS workers and returns the first error.
// List pages are independent of each other and the writers are safe for
// concurrent use; at a million decisions there are tens of thousands of
// them, and rendering them one by one left a core idle for most of Finish.
// Output stays deterministic: every page's bytes depend only on its data,
// and the sitemap sorts the paths.
func forEach(n int, fn func(i int) error) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 1; i <= n; i++ {
			if err := fn(i); err != nil {
				return err
			}
		}
		return nil
	}
	var next atomic.Int64
	var once sync.Once
	var first error
	var failed atomic.Bool
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() {
				i := int(next.Add(1))
				if i > n {
					return
				}
				if err := fn(i); err != nil {
					once.Do(func() { first = err })
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	return first
}
