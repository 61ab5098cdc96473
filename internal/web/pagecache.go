package web

import (
	"bytes"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The page cache keeps what the routes marked cached (routeTable) answer
// an anonymous reader, as rendered, and answers the next anonymous reader
// of the same page from memory, with a strong ETag and Last-Modified so
// that a browser's conditional GET costs a 304.
//
// Invalidation: every generation of the cache ends with any change.
//   - A request that may change something (not GET, HEAD or OPTIONS) and
//     succeeds (status below 400) ends it, before the first byte of its
//     answer leaves and again when its handler returns: a client that got
//     the answer to its change sees the change in its next request.
//   - Changes made by other processes (the CLI's import and fetch on the
//     same database, another server) are caught by polling the store's
//     ContentVersion every PollInterval: they show within that time. A
//     store that announces changes (PostgreSQL's LISTEN/NOTIFY, see
//     contentWatcher) has the version read at once on every announcement,
//     so another server's write shows in milliseconds; the poll stays as
//     the safety net.
//   - A render that began in an earlier generation is not kept, so a page
//     read before a change cannot be stored after it.
//
// Entries of an older generation are never served; they stay until the
// least recently used go, so that a page rendered again to the same bytes
// keeps its Last-Modified.

// DefaultPollInterval is how often the page cache asks the store whether
// another process changed the content.
const DefaultPollInterval = 2 * time.Second

// Default bounds of the cache's memory. The demo's pages are 5–15 kB, and
// an organisation has some hundred public pages and files in each of six
// languages: the bounds hold every page of several organisations. The
// least recently used go first, so that a crawler walking every page does
// not empty the cache of what readers ask for.
const (
	defaultCacheEntries = 4096
	defaultCacheBytes   = 64 << 20
)

// PageCache configures the cache of public pages (WithPageCache).
type PageCache struct {
	// Off renders every page for every request.
	Off bool
	// PollInterval is how often the store's ContentVersion is read to
	// learn of changes other processes made; 0 means DefaultPollInterval.
	PollInterval time.Duration
	// MaxEntries and MaxBytes bound the pages kept (the least recently
	// used go first); 0 means 4096 and 64 MiB. A response larger than
	// MaxBytes/16 is served as it is rendered and not kept.
	MaxEntries int
	MaxBytes   int64
}

// WithPageCache configures the cache of public pages; without it the
// cache is on with the defaults of PageCache.
func WithPageCache(c PageCache) Option {
	return func(s *server) { s.cacheConfig = c }
}

// cacheControl is the Cache-Control of a cached page: any cache may keep
// it (the same bytes go to every anonymous reader of a language, and
// Vary names the cookie and Accept-Language), but must revalidate it
// before each use, because the content changes whenever someone edits or
// a fetch brings new figures, with no time known in advance; a max-age
// would show readers an old target status after the change. Revalidation
// costs a 304 from memory.
var cacheControl = []string{"public, no-cache"}

// pageCache is the cache itself; its methods are safe for concurrent use.
type pageCache struct {
	off                bool
	poll               time.Duration
	maxEntries         int
	maxBytes, maxEntry int64
	now                func() time.Time

	mu      sync.Mutex
	gen     uint64
	entries map[string]*list.Element // key → element of lru, whose Value is a *cacheEntry
	lru     list.List                // most recently used first
	bytes   int64
	flights map[string]*flight // renders in progress, by key

	// The watch of the store's content version begins before the first
	// page is rendered for the cache (a handler that caches nothing never
	// reads the store) and ends with close.
	st       strategy.Store
	log      *slog.Logger
	watching sync.Once
	stop     context.CancelFunc
	done     chan struct{}
	closed   bool
}

// cacheEntry is one kept response. Its slices are shared by every request
// it answers and never changed.
type cacheEntry struct {
	key  string
	gen  uint64
	size int64
	// set are the headers the handler set or changed (Content-Type,
	// Content-Disposition, a page's own Content-Security-Policy), del
	// those it removed.
	set  http.Header
	del  []string
	body []byte
	etag string
	// modified is Last-Modified: when the bytes were first rendered, in
	// whole seconds.
	modified time.Time
	// The values of the headers the cache writes, made once.
	etagValue, modifiedValue, lengthValue []string
	// fastHeaders is the response head the fast path writes (fastpath.go),
	// without Date; made on its first use.
	fastHeaders atomic.Pointer[[]byte]
}

// flight is a render in progress: requests for the same page wait for it
// rather than render it again.
type flight struct {
	gen   uint64
	done  chan struct{}
	entry *cacheEntry // nil when the response could not be kept
}

// newPageCache is a cache of pages read from st; log gets the failures of
// the watch of st.
func newPageCache(c PageCache, st strategy.Store, log *slog.Logger) *pageCache {
	pc := &pageCache{off: c.Off, poll: c.PollInterval, maxEntries: c.MaxEntries, maxBytes: c.MaxBytes, now: time.Now,
		entries: map[string]*list.Element{}, flights: map[string]*flight{}, st: st, log: log}
	if pc.poll <= 0 {
		pc.poll = DefaultPollInterval
	}
	if pc.maxEntries <= 0 {
		pc.maxEntries = defaultCacheEntries
	}
	if pc.maxBytes <= 0 {
		pc.maxBytes = defaultCacheBytes
	}
	pc.maxEntry = pc.maxBytes / 16
	return pc
}

// startWatch starts the watch of the store, once. It reads the content
// version the watch compares with before it returns, so that a page
// rendered after it is kept only until a change made after that read is
// seen; requests that call it meanwhile wait for that read.
func (c *pageCache) startWatch(ctx context.Context) {
	c.watching.Do(func() {
		// Subscribe before the read, so that no announced change falls
		// between the two.
		watchCtx, cancel := context.WithCancel(context.Background())
		var changes <-chan struct{}
		if w, ok := c.st.(contentWatcher); ok {
			changes, _ = w.WatchContent(watchCtx)
		}
		last, err := c.st.ContentVersion(ctx)
		if err != nil {
			last = -1 // the watch's first read ends the generation
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.closed {
			cancel()
			return
		}
		c.stop, c.done = cancel, make(chan struct{})
		go func() {
			defer close(c.done)
			c.watch(watchCtx, last, changes)
		}()
	})
}

// contentWatcher is a store that announces changes of content, also other
// processes' (store.Store.WatchContent): ok is false when it cannot.
type contentWatcher interface {
	WatchContent(ctx context.Context) (changes <-chan struct{}, ok bool)
}

// close ends the watch of the store and waits for it.
func (c *pageCache) close() {
	c.mu.Lock()
	c.closed = true
	stop, done := c.stop, c.done
	c.mu.Unlock()
	if stop != nil {
		stop()
		<-done
	}
}

// watch ends the generation whenever the store's content version differs
// from last, the one it last read. When the store cannot answer, the
// generation ends too, rather than pages being served that nobody can
// say are current. So does a new day, in UTC or the server's time zone:
// pages show the date or depend on it (the year targets are evaluated
// for, deadlines passed).
//
// changes, when not nil, announces changes: the version is read at once.
func (c *pageCache) watch(ctx context.Context, last int64, changes <-chan struct{}) {
	t := time.NewTicker(c.poll)
	defer t.Stop()
	failing := false
	days := func() [2]string {
		now := c.now()
		return [2]string{now.UTC().Format(time.DateOnly), now.Format(time.DateOnly)}
	}
	day := days()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-changes:
		}
		if d := days(); d != day {
			day = d
			c.invalidate()
		}
		v, err := c.st.ContentVersion(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			if !failing {
				c.log.WarnContext(ctx, "page cache: reading the content version", "err", err.Error())
			}
			failing = true
			c.invalidate()
		case v != last:
			last, failing = v, false
			c.invalidate()
		}
	}
}

// invalidate ends the cache's generation: no page kept so far is served
// again.
func (c *pageCache) invalidate() {
	c.mu.Lock()
	c.gen++
	c.mu.Unlock()
}

// anonymous reports whether a request may be answered from the cache: a
// GET or HEAD without a session cookie or credentials, and without a user
// in its context (which tests put there). A cookie header that merely
// mentions the session cookie's name counts as a session.
func anonymous(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead || userOf(r) != nil {
		return false
	}
	if _, ok := r.Header["Authorization"]; ok {
		return false
	}
	for _, c := range r.Header["Cookie"] {
		if strings.Contains(c, auth.SessionCookieName) {
			return false
		}
	}
	return true
}

// appendKey appends the cache key of r to b: what may make the bytes of a
// cached response differ. The language (already resolved from ?lang=, the
// cookie or Accept-Language), the scheme and host with the headers of a
// reverse proxy (absolute links in the sitemap and in embed codes name
// them: a request with a forged Host must not put its links in what others
// are served), the path as sent (escaped: /a%2Fb is not /a/b) and the
// query without lang, whose part is in the language.
func appendKey(b []byte, r *http.Request, lang string) []byte {
	return appendKeyParts(b, lang, r.TLS != nil, r.Host, r.Header["X-Forwarded-Proto"], r.Header["X-Forwarded-Host"],
		r.URL.EscapedPath(), r.URL.RawQuery)
}

// appendKeyParts is appendKey of the parts themselves, for the fast path
// (fastpath.go), which has no http.Request.
func appendKeyParts(b []byte, lang string, tls bool, host string, forwardedProto, forwardedHost []string, escapedPath, rawQuery string) []byte {
	b = append(b, lang...)
	b = append(b, 0)
	if tls {
		b = append(b, 's')
	}
	b = append(b, host...)
	b = append(b, 0)
	for _, v := range forwardedProto {
		b = append(b, v...)
		b = append(b, ',')
	}
	b = append(b, 0)
	for _, v := range forwardedHost {
		b = append(b, v...)
		b = append(b, ',')
	}
	b = append(b, 0)
	b = append(b, escapedPath...)
	sep := byte('?')
	for q := rawQuery; q != ""; {
		var part string
		part, q, _ = strings.Cut(q, "&")
		if part == "" || part == "lang" || strings.HasPrefix(part, "lang=") {
			continue
		}
		b = append(b, sep)
		b = append(b, part...)
		sep = '&'
	}
	return b
}

// lookup returns the entry of the current generation for key, if any, and
// marks it as just used. key may be a conversion of a byte slice: the map
// lookup does not keep it.
func (c *pageCache) lookup(key []byte) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[string(key)]
	if !ok {
		return nil
	}
	e := el.Value.(*cacheEntry)
	if e.gen != c.gen {
		return nil
	}
	c.lru.MoveToFront(el)
	return e
}

// serveCached answers anonymous requests for pages in the cache before
// the session is loaded, the user identified and the route found: a hit
// needs none of it. It runs after withLanguage, which has chosen the
// language (and set its cookie and Vary). Everything else goes to next.
func (s *server) serveCached(next http.Handler) http.Handler {
	c := s.cache
	if c.off {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if anonymous(r) {
			var buf [256]byte
			if e := c.lookup(appendKey(buf[:0], r, langOf(r).Code)); e != nil {
				e.write(w, r)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// handler wraps a route's handler with the cache: a cached route answers
// anonymous readers from the cache, rendering a page once however many ask
// for it at the same time; a route that may change something ends the
// generation when it succeeds.
func (c *pageCache) handler(rt route) handlerFunc {
	h := rt.handler
	if c.off {
		return h
	}
	return func(s *server, w http.ResponseWriter, r *http.Request) error {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			if rt.cached && anonymous(r) {
				return c.serve(s, h, w, r)
			}
			return h(s, w, r)
		}
		if rt.keepsCache {
			return h(s, w, r)
		}
		iw := &invalidatingWriter{ResponseWriter: w, c: c, status: http.StatusOK}
		err := h(s, iw, r)
		if err == nil && iw.status < 400 {
			// Again: the handler may have written before it stored.
			c.invalidate()
		}
		return err
	}
}

// serve answers an anonymous GET or HEAD of a cached route.
func (c *pageCache) serve(s *server, h handlerFunc, w http.ResponseWriter, r *http.Request) error {
	c.startWatch(r.Context())
	key := appendKey(nil, r, langOf(r).Code)
	c.mu.Lock()
	var stale *cacheEntry
	if el, ok := c.entries[string(key)]; ok {
		e := el.Value.(*cacheEntry)
		if e.gen == c.gen {
			c.lru.MoveToFront(el)
			c.mu.Unlock()
			e.write(w, r)
			return nil
		}
		stale = e
	}
	if f, ok := c.flights[string(key)]; ok && f.gen == c.gen {
		c.mu.Unlock()
		select {
		case <-f.done:
		case <-r.Context().Done():
			return nil // the reader is gone
		}
		if f.entry != nil {
			f.entry.write(w, r)
			return nil
		}
		// The page could not be kept (an error, a status but 200, too
		// large): this request renders its own.
		return h(s, w, r)
	}
	f := &flight{gen: c.gen, done: make(chan struct{})}
	c.flights[string(key)] = f
	c.mu.Unlock()
	defer func() {
		// Also after a panic, so that no request waits forever. A render of
		// a later generation may have taken the key meanwhile.
		c.mu.Lock()
		if c.flights[string(key)] == f {
			delete(c.flights, string(key))
		}
		c.mu.Unlock()
		close(f.done)
	}()

	rec := newCacheRecorder(w, c.maxEntry)
	if err := h(s, rec, renderRequest(r)); err != nil {
		if rec.spilled {
			// Part of the response is out: the error cannot be shown.
			s.log.ErrorContext(r.Context(), "request failed after its response began", "path", r.URL.Path, "err", err.Error())
			return nil
		}
		return err
	}
	if rec.spilled {
		return nil
	}
	set, del, ok := rec.changes()
	if !ok || rec.status != http.StatusOK {
		rec.flush()
		return nil
	}
	e := c.keep(string(key), f.gen, set, del, rec.body.Bytes(), stale)
	f.entry = e
	e.write(w, r)
	return nil
}

// conditionalHeaders make a response depend on what the reader has.
var conditionalHeaders = []string{"If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "If-Range", "Range"}

// renderRequest is r as the handler of a page being cached sees it: a GET
// without conditions or ranges, so that it renders the whole page with
// status 200 (http.ServeContent would answer 304 or 206, which cannot be
// kept). The cache answers the conditions itself.
func renderRequest(r *http.Request) *http.Request {
	conditional := false
	for _, h := range conditionalHeaders {
		if _, ok := r.Header[h]; ok {
			conditional = true
			break
		}
	}
	if r.Method == http.MethodGet && !conditional {
		return r
	}
	r2 := r.Clone(r.Context())
	r2.Method = http.MethodGet
	for _, h := range conditionalHeaders {
		delete(r2.Header, h)
	}
	return r2
}

// keep makes the entry of a rendered page and stores it unless the
// generation it was rendered in has ended. A page rendered to the same
// bytes as the stale entry it replaces keeps that entry's Last-Modified;
// a changed page gets a later one than the stale entry's even within the
// same second, so that If-Modified-Since never hides a change.
func (c *pageCache) keep(key string, gen uint64, set http.Header, del []string, body []byte, stale *cacheEntry) *cacheEntry {
	sum := sha256.New()
	for _, h := range []string{"Content-Type", "Content-Disposition", "Content-Language", "Content-Encoding"} {
		sum.Write([]byte(set.Get(h)))
		sum.Write([]byte{0})
	}
	sum.Write(body)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum.Sum(nil)[:18]) + `"`
	modified := c.now().UTC().Truncate(time.Second)
	if stale != nil {
		switch {
		case stale.etag == etag:
			modified = stale.modified
		case !modified.After(stale.modified):
			modified = stale.modified.Add(time.Second)
		}
	}
	e := &cacheEntry{key: key, gen: gen, set: set, del: del, body: bytes.Clone(body), etag: etag, modified: modified,
		etagValue: []string{etag}, modifiedValue: []string{modified.Format(http.TimeFormat)},
		lengthValue: []string{strconv.Itoa(len(body))}}
	e.size = int64(len(key) + len(e.body) + 512) // the entry, its headers and the map's share, roughly
	if e.size > c.maxEntry {
		return e // served to this request and those waiting for it, not kept
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return e
	}
	if el, ok := c.entries[key]; ok {
		c.remove(el)
	}
	c.entries[key] = c.lru.PushFront(e)
	c.bytes += e.size
	for len(c.entries) > c.maxEntries || c.bytes > c.maxBytes {
		c.remove(c.lru.Back())
	}
	return e
}

func (c *pageCache) remove(el *list.Element) {
	e := c.lru.Remove(el).(*cacheEntry)
	delete(c.entries, e.key)
	c.bytes -= e.size
}

// write answers r with the entry: 304 when r's conditions say the reader
// has these bytes, the entry otherwise. The header values are the entry's
// own slices, set without copying; nothing after the handler changes them.
func (e *cacheEntry) write(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for k, v := range e.set {
		h[k] = v
	}
	for _, k := range e.del {
		delete(h, k)
	}
	h["Etag"] = e.etagValue
	h["Cache-Control"] = cacheControl
	if e.notModified(r) {
		// RFC 9110 15.4.5: no content metadata on a 304; the ETag
		// identifies what the reader has.
		for _, k := range []string{"Content-Type", "Content-Disposition", "Content-Language", "Content-Encoding", "Content-Length"} {
			delete(h, k)
		}
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Last-Modified"] = e.modifiedValue
	h["Content-Length"] = e.lengthValue
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(e.body)
	}
}

// notModified evaluates If-None-Match or, only without it,
// If-Modified-Since, as RFC 9110 13.2.2 orders them for a GET or HEAD.
func (e *cacheEntry) notModified(r *http.Request) bool {
	if inm, ok := r.Header["If-None-Match"]; ok {
		for _, v := range inm {
			if etagListHas(v, e.etag) {
				return true
			}
		}
		return false
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" {
		return false
	}
	t, err := http.ParseTime(ims)
	return err == nil && !e.modified.After(t)
}

// etagListHas reports whether an If-None-Match value ("*" or a list of
// entity tags) matches etag by the weak comparison RFC 9110 8.8.3.2 asks
// for there: W/ is ignored.
func etagListHas(list, etag string) bool {
	for list != "" {
		var tag string
		tag, list, _ = strings.Cut(list, ",")
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
			return true
		}
	}
	return false
}

// cacheRecorder keeps what a handler writes for a page being cached. It
// starts with a copy of the response's headers so far (the middleware's),
// so that a handler that reads or changes them behaves as on the real
// response; the entry keeps only what the handler changed. A response
// that grows beyond limit is not kept: it spills onto the real response
// and is streamed from there on.
type cacheRecorder struct {
	w       http.ResponseWriter
	before  http.Header // the headers when the handler began
	header  http.Header
	status  int
	wrote   bool
	body    bytes.Buffer
	limit   int64
	spilled bool
}

func newCacheRecorder(w http.ResponseWriter, limit int64) *cacheRecorder {
	before := w.Header().Clone()
	return &cacheRecorder{w: w, before: before, header: before.Clone(), status: http.StatusOK, limit: limit}
}

func (rec *cacheRecorder) Header() http.Header {
	if rec.spilled {
		return rec.w.Header()
	}
	return rec.header
}

func (rec *cacheRecorder) WriteHeader(status int) {
	if rec.spilled {
		rec.w.WriteHeader(status)
		return
	}
	if !rec.wrote {
		rec.status, rec.wrote = status, true
	}
}

func (rec *cacheRecorder) Write(b []byte) (int, error) {
	rec.wrote = true
	if rec.spilled {
		return rec.w.Write(b)
	}
	if int64(rec.body.Len()+len(b)) > rec.limit {
		rec.flush()
		return rec.w.Write(b)
	}
	return rec.body.Write(b)
}

// flush sends what was recorded to the real response, which takes over.
func (rec *cacheRecorder) flush() {
	h := rec.w.Header()
	for k := range h {
		if _, ok := rec.header[k]; !ok {
			delete(h, k)
		}
	}
	maps.Copy(h, rec.header)
	rec.spilled = true
	rec.w.WriteHeader(rec.status)
	rec.w.Write(rec.body.Bytes())
}

// changes are the headers the handler set or changed and those it
// removed; ok is false when a header says the response is not the same
// for everyone: a cookie, Cache-Control private or no-store, or a Vary of
// its own.
func (rec *cacheRecorder) changes() (set http.Header, del []string, ok bool) {
	set = http.Header{}
	for k, v := range rec.header {
		if old, had := rec.before[k]; had && equalValues(old, v) {
			continue
		}
		switch k {
		case "Set-Cookie":
			return nil, nil, false
		case "Vary":
			if !varyKnown(v) {
				return nil, nil, false
			}
			continue // withLanguage says as much
		case "Cache-Control":
			if cc := strings.ToLower(strings.Join(v, ",")); strings.Contains(cc, "private") || strings.Contains(cc, "no-store") {
				return nil, nil, false
			}
			continue
		case "Content-Length", "Date", "Etag", "Last-Modified", "Expires":
			continue // the cache's to say
		}
		set[k] = v
	}
	for k := range rec.before {
		if _, ok := rec.header[k]; !ok {
			del = append(del, k)
		}
	}
	return set, del, true
}

// varyKnown reports whether a Vary names only what every response of
// withLanguage varies on, and the cache's key holds: the cookie and
// Accept-Language.
func varyKnown(values []string) bool {
	for _, v := range values {
		for f := range strings.SplitSeq(v, ",") {
			switch strings.ToLower(strings.TrimSpace(f)) {
			case "", "cookie", "accept-language":
			default:
				return false
			}
		}
	}
	return true
}

func equalValues(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// invalidatingWriter ends the cache's generation when a request that may
// change something begins a successful answer: its handler has stored the
// change by then, and the reader must not get an old page after it.
type invalidatingWriter struct {
	http.ResponseWriter
	c      *pageCache
	status int
	wrote  bool
}

func (w *invalidatingWriter) WriteHeader(status int) {
	if !w.wrote {
		w.status, w.wrote = status, true
		if status < 400 {
			w.c.invalidate()
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *invalidatingWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *invalidatingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
