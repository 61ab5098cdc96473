package search

import (
	"sync"
	"sync/atomic"
)

// cache maps a word to its analysis for the analysis goroutines bleve runs
// in parallel. Nearly every lookup finds a word seen before, so those go
// to an immutable map without any lock; new words wait in a small locked
// map that is folded into a new immutable one once it has grown by a
// quarter. A cache past cacheMax words starts again: a text full of
// distinct tokens (numbers, codes) must not grow it without end.
type cache[V any] struct {
	frozen atomic.Pointer[map[string]V]
	mu     sync.Mutex
	fresh  map[string]V
}

const (
	cacheMax       = 1 << 18
	cacheFoldFloor = 1 << 10
)

func newCache[V any]() *cache[V] {
	c := &cache[V]{fresh: map[string]V{}}
	c.frozen.Store(&map[string]V{})
	return c
}

// get looks key up; the []byte-to-string conversions in the index
// expressions do not allocate.
func (c *cache[V]) get(key []byte) (V, bool) {
	if v, ok := (*c.frozen.Load())[string(key)]; ok {
		return v, true
	}
	c.mu.Lock()
	v, ok := c.fresh[string(key)]
	c.mu.Unlock()
	return v, ok
}

func (c *cache[V]) put(key []byte, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fresh[string(key)] = v
	old := *c.frozen.Load()
	if len(c.fresh) < max(cacheFoldFloor, len(old)/4) {
		return
	}
	next := make(map[string]V, len(old)+len(c.fresh))
	if len(old)+len(c.fresh) <= cacheMax {
		for k, v := range old {
			next[k] = v
		}
	}
	for k, v := range c.fresh {
		next[k] = v
	}
	c.frozen.Store(&next)
	c.fresh = map[string]V{}
}
