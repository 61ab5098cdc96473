// Package web serves Inkludera's public pages (Swedish HTML that works
// without JavaScript) and its JSON API under /api/v1, described by an
// embedded OpenAPI document. routes.go lists the whole surface; every
// handler returns an error that one adapter (errors.go) turns into a status
// and an HTML page or a JSON body. The package reads only through
// strategy.Store and never writes SQL.
package web

import (
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/library"
	"github.com/inkludera/inkludera/internal/strategy"
)

//go:embed templates/*.html templates/partials/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

//go:embed openapi.json
var openAPIDocument []byte

// server carries what the handlers share.
type server struct {
	st     strategy.Store
	log    *slog.Logger
	mux    *http.ServeMux
	pages  map[string]*template.Template // page name → layout plus the page's "content"
	static *staticFiles
	// fallbacks are the patterns of the catch-all routes, which answer
	// 404 or 405 themselves.
	fallbacks map[string]bool
	// now is the clock that sets the default evaluation year of target
	// statuses; tests fix it so that verdicts do not change with the date.
	now func() time.Time
	// admin is the state of the admin pages: the background fetch.
	admin *admin
	// sessions are the browsers' sign-ins; throttle slows password
	// guessing; oidc, when set, offers sign-in through an OpenID provider
	// whose groups groupRules map to roles.
	sessions   *auth.Sessions
	throttle   *auth.Throttle
	oidc       *auth.OIDC
	groupRules []auth.GroupRule
	// mailer sends follow-up reminders; nil unless WithMailer gave one.
	mailer *reminderMailer
	// reports are the follow-up reports being made in the background.
	reports *reportJobs
	// portal is what the public portal says about the site.
	portal PortalConfig
	// barriers limits the barrier reports each address sends
	// (page_accessibility.go).
	barriers barrierLimiter
	// cache keeps public pages as rendered for anonymous readers
	// (pagecache.go); cacheConfig is what WithPageCache asked for.
	cache       *pageCache
	cacheConfig PageCache
	// proxies are the trusted reverse proxies (security.go); apiLimits
	// the API's rate limit per client (ratelimit.go), nil when off.
	proxies   trustedProxies
	apiLimits *apiLimiter
	// lib is the strategy library (page_library*.go); nil when the
	// server runs without one, and its pages answer 404.
	lib *library.Library
}

// WithLibrary serves the strategy library: search, documents, upload and
// drafts of strategy files from its texts.
func WithLibrary(lib *library.Library) Option {
	return func(s *server) { s.lib = lib }
}

// Handler is the whole site. It is an http.Handler; Close ends the work it
// runs in the background (a fetch started from the admin pages, reports
// being made).
type Handler struct {
	h http.Handler
	s *server
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.h.ServeHTTP(w, r) }

// Close cancels a background fetch and the reports being made and waits
// for them to end, and stops the page cache's watch of the store, so that
// the store can be closed after it. Call it after the HTTP server has shut
// down.
func (h *Handler) Close() error {
	h.s.admin.close()
	h.s.reports.close()
	h.s.cache.close()
	return nil
}

// New returns the handler for the whole site: pages, API, static files and
// the health check, as routeTable lists them, each answering according to
// who the request's session or API token says is asking. A nil logger
// discards. New panics when the embedded templates do not parse, a
// programming error the package's tests catch.
func New(st strategy.Store, log *slog.Logger, opts ...Option) *Handler {
	return newHandler(st, log, time.Now, opts...)
}

// newHandler is New with the clock the evaluation year is taken from.
func newHandler(st strategy.Store, log *slog.Logger, now func() time.Time, opts ...Option) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	static, err := newStaticFiles(staticFS, "static")
	if err != nil {
		panic(err) // embedded at build time: a failure is a programming error
	}
	s := &server{st: st, log: log, mux: http.NewServeMux(), static: static, fallbacks: map[string]bool{}, now: now,
		reports: newReportJobs()}
	for _, o := range opts {
		o(s)
	}
	if s.sessions == nil {
		s.sessions = auth.NewSessions(st, true)
	}
	s.throttle = auth.NewThrottle(auth.DefaultLimits, nil)
	if s.admin == nil {
		s.admin = newAdmin(nil)
	}
	s.cache = newPageCache(s.cacheConfig, st, log)
	s.pages = mustParsePages(s.funcs())
	for _, rt := range routeTable() {
		s.mux.Handle(rt.pattern(), s.adapt(rt))
		if rt.fallback {
			s.fallbacks[rt.pattern()] = true
		}
	}
	// Every unsafe cross-site request is refused before any handler runs:
	// a form on another site cannot make an admin's browser post here.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.InfoContext(r.Context(), "cross-origin request refused", "method", r.Method, "path", r.URL.Path,
			"origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
		s.renderError(w, r, http.StatusForbidden, "Förfrågan kom från en annan webbplats och nekades.")
	}))
	// Sessions are loaded before identify finds the user in them; both run
	// after the cross-origin check, so a refused request touches no session.
	// A page in the cache is served to an anonymous reader before either:
	// it needs neither. The API's rate limit counts per user, so it comes
	// after identify; cached pages are never limited.
	return &Handler{h: accessLog(log, s.securityHeaders(cop.Handler(withLanguage(s.serveCached(s.withSession(s.identify(s.limitAPI(s.mux)))))))), s: s}
}

// pageNames are the page templates in templates/: every file but the
// layout, each parsed together with layout.html and the partials shared
// by several pages (templates/partials/).
var pageNames = func() []string {
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	var names []string
	for _, f := range files {
		if name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html"); name != "layout" {
			names = append(names, name)
		}
	}
	return names
}()

func mustParsePages(funcs template.FuncMap) map[string]*template.Template {
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		t := template.Must(template.New(name).Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/partials/*.html", "templates/"+name+".html"))
		pages[name] = t
	}
	return pages
}

// funcs are the few template functions; views are computed in Go so that
// templates stay declarative and templatecheck can check them.
func (s *server) funcs() template.FuncMap {
	return template.FuncMap{
		"static":  s.static.url,
		"heading": heading,
		"inc":     func(i int) int { return i + 1 },
		// library tells the layout whether to link the strategy library.
		"library": func() bool { return s.lib != nil },
	}
}

// subFS is fs.Sub that cannot fail for the constant directories used here.
func subFS(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
