package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	netmail "net/mail"
	"strings"
	"sync"
	"time"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/demo"
	"github.com/inkludera/inkludera/internal/followup"
	"github.com/inkludera/inkludera/internal/library"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
	"github.com/inkludera/inkludera/internal/web"
)

// shutdownGrace is how long in-flight requests get after a stop signal.
const shutdownGrace = 10 * time.Second

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("serve", getenv, stderr)
	addr := f.string("addr", "localhost:8080", "address to listen on")
	db := f.dbFlag()
	noDemo := f.bool("no-demo", false, "do not load the demo content into an empty database")
	logLevel := f.string("log-level", "info", "log level: debug, info, warn or error")
	refresh := f.duration("refresh-interval", 24*time.Hour, "how often to fetch from Kolada and SCB (0 = never); with several servers on one PostgreSQL database, one of them fetches")
	cachePoll := f.duration("cache-poll", web.DefaultPollInterval, "how often the page cache asks the database whether another process changed it (PostgreSQL also announces changes at once)")
	urls := f.sources()
	libraryIndex := f.string("library-index", "", "the strategy library's search index folder, SQLite only (default: the database file + .bibliotek); PostgreSQL searches in the database")
	adminEmail := f.string("admin-email", "", "e-mail of the first administrator, created with a generated password (printed once) when there is no user at all; default "+auth.DefaultAdminEmail)
	cookieInsecure := f.bool("cookie-insecure", false, "send the session cookie over plain http too (development only; the cookie is Secure otherwise)")
	oidcFlags := f.oidc()
	mailFlags := f.mail()
	portalFlags := f.portal()
	limitFlags := f.limits()
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usageError{fmt.Sprintf("serve takes no arguments, got %q", f.Arg(0))}
	}
	log, err := newLogger(stderr, *logLevel)
	if err != nil {
		return err
	}
	mailer, err := mailFlags.sender()
	if err != nil {
		return err
	}
	portal, err := portalFlags.config(*mailFlags.baseURL)
	if err != nil {
		return err
	}
	limits, err := limitFlags.options()
	if err != nil {
		return err
	}

	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if !*noDemo {
		if err := loadDemo(ctx, st, log); err != nil {
			return err
		}
	}
	if err := firstAdmin(ctx, st, *adminEmail, stderr); err != nil {
		return err
	}
	lib, err := library.Open(ctx, st, *libraryIndex, log, func(done, total int) {
		log.Info("indexing the strategy library", "done", done, "of", total)
	})
	if err != nil {
		return err
	}
	defer lib.Close()
	if !*noDemo {
		if err := loadDemoLibrary(ctx, lib, log); err != nil {
			return err
		}
	}
	sessions := auth.NewSessions(st, !*cookieInsecure)
	opts := append([]web.Option{web.WithSessions(sessions), web.WithPortal(portal),
		web.WithPageCache(web.PageCache{PollInterval: *cachePoll}), web.WithLibrary(lib)}, limits...)
	provider, err := oidcFlags.provider(ctx, *mailFlags.baseURL)
	if err != nil {
		return err
	}
	if provider != nil {
		opts = append(opts, web.WithOIDC(provider, provider.Rules()))
		log.Info("OpenID Connect sign-in", "issuer", *oidcFlags.issuer)
	}

	// Background work: the scheduled fetch, expired sessions, reminders.
	// The store closes when serve returns, so all of it must have ended
	// by then: the deferred cancel and Wait see to that.
	fetcher := urls.fetcher(st)
	fetcher.Log = log
	opts = append(opts, web.WithFetcher(fetcher))
	bgCtx, stopBackground := context.WithCancel(ctx)
	var background sync.WaitGroup
	defer func() { stopBackground(); background.Wait() }()
	if *refresh > 0 {
		// Of several servers on one database, one runs the schedule; when
		// it stops, another takes over (store.RunExclusive).
		background.Go(func() {
			st.RunExclusive(bgCtx, "scheduled-fetch", func() {
				log.Info("scheduled fetches run on this server", "every", refresh.String())
			}, func(ctx context.Context) { fetcher.Schedule(ctx, *refresh) })
		})
	}
	background.Go(func() { sessions.Cleanup(bgCtx, sessionCleanupInterval) })
	// Documents the CLI adds to a SQLite database reach this server's
	// index within a poll.
	background.Go(func() { lib.Watch(bgCtx, *cachePoll) })
	if mailer != nil {
		opts = append(opts, web.WithMailer(mailer, *mailFlags.baseURL))
		if every := *mailFlags.remindEvery; every > 0 {
			// One server sends them, so that nobody gets a reminder twice.
			background.Go(func() {
				st.RunExclusive(bgCtx, "reminders", nil, func(ctx context.Context) {
					followup.RunReminders(ctx, st, mailer, *mailFlags.baseURL, every, log)
				})
			})
		}
		log.Info("e-mail reminders", "smtp", *mailFlags.addr, "every", mailFlags.remindEvery.String())
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	site := web.New(st, log, opts...)
	defer site.Close() // before st.Close: ends a fetch started from the admin page
	srv := &http.Server{
		Handler:           site,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    web.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	// The listener answers cached public pages below net/http (web.Handler.Listen).
	go func() { served <- srv.Serve(site.Listen(ln)) }()
	url := "http://" + ln.Addr().String()
	log.Info("listening", "url", url, "db", store.Redact(*db))
	fmt.Fprintf(stdout, "Inkludera listening on %s\n", url)

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// portalFlags say what the public portal tells about the site itself:
// who is behind it and how to reach them (the accessibility statement).
type portalFlags struct {
	siteOwner, contactEmail, frameAncestors *string
}

func (f *flags) portal() portalFlags {
	return portalFlags{
		siteOwner:      f.string("site-owner", "", `the organisation behind the site, named in the accessibility statement ("Östersunds kommun"); empty: Inkludera`),
		frameAncestors: f.string("frame-ancestors", "", "the sites that may show the /embed/ widgets in an iframe, space- or comma-separated origins such as https://www.ostersund.se; empty: every site (embedding is what the widgets are for); other pages can never be framed by other sites"),
		contactEmail:   f.string("contact-email", "", "where readers write about the site's accessibility and ask for content in another format, shown in the accessibility statement; empty: the statement's form is the only way"),
	}
}

// config is the web.PortalConfig of the flags, the one place the portal's
// settings come together; baseURL is --base-url, already checked.
func (p portalFlags) config(baseURL string) (web.PortalConfig, error) {
	c := web.PortalConfig{
		SiteOwner:    strings.TrimSpace(*p.siteOwner),
		ContactEmail: strings.TrimSpace(*p.contactEmail),
		BaseURL:      baseURL,
	}
	for _, origin := range strings.FieldsFunc(*p.frameAncestors, func(r rune) bool { return r == ',' || r == ' ' }) {
		if !validFrameAncestor(origin) {
			return c, usageError{fmt.Sprintf("--frame-ancestors: %q is not an origin such as https://www.kommun.se (or *.kommun.se, 'self')", origin)}
		}
		c.FrameAncestors = append(c.FrameAncestors, origin)
	}
	if c.ContactEmail != "" {
		if a, err := netmail.ParseAddress(c.ContactEmail); err != nil || a.Address != c.ContactEmail || !strings.Contains(c.ContactEmail, "@") {
			return c, usageError{fmt.Sprintf("--contact-email %q is not an e-mail address such as tillganglighet@kommun.se", c.ContactEmail)}
		}
	}
	return c, nil
}

// validFrameAncestor reports whether s is a CSP frame-ancestors source we
// accept: 'self', or an http(s) origin whose host may start with "*.";
// nothing that could end the header or add a directive.
func validFrameAncestor(s string) bool {
	if s == "'self'" {
		return true
	}
	rest, ok := strings.CutPrefix(s, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(s, "http://")
	}
	if !ok || rest == "" {
		return false
	}
	rest = strings.TrimPrefix(rest, "*.")
	for _, r := range rest {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == ':') {
			return false
		}
	}
	return true
}

// sessionCleanupInterval is how often expired sessions are deleted.
const sessionCleanupInterval = time.Hour

// firstAdmin creates an administrator when the database has no user, so
// that a new installation can be signed in to, and prints the e-mail and
// password once, in Swedish and English, to w (standard error: not the
// log, which may be shipped elsewhere). With any user stored it does
// nothing.
func firstAdmin(ctx context.Context, st strategy.Store, email string, w io.Writer) error {
	password, created, err := auth.EnsureAdmin(ctx, st, email)
	if err != nil {
		return fmt.Errorf("--admin-email: %w", err)
	}
	if !created {
		return nil
	}
	email = cmp.Or(strings.TrimSpace(email), auth.DefaultAdminEmail)
	fmt.Fprintf(w, `
Första administratören har skapats. Logga in med:
The first administrator has been created. Sign in with:

    E-post / e-mail:      %s
    Lösenord / password:  %s

Lösenordet visas bara nu. Byt det med: inkludera user passwd --email %s
The password is shown only now. Change it with: inkludera user passwd --email %s

`, email, password, email, email)
	return nil
}

// loadDemo imports the demo content when the database has no organisation
// yet, so a fresh start shows something and a real database is never touched.
func loadDemo(ctx context.Context, st strategy.Store, log *slog.Logger) error {
	orgs, err := st.ListOrganisations(ctx)
	if err != nil {
		return err
	}
	if len(orgs) > 0 {
		return nil
	}
	bundles, err := demo.Bundles()
	if err != nil {
		return fmt.Errorf("demo content: %w", err)
	}
	summary, err := st.Import(ctx, bundles)
	if err != nil {
		return fmt.Errorf("load demo content: %w", err)
	}
	log.Info("loaded demo content into the empty database",
		"documents", summary["documents"].Added, "observations", summary["observations"].Added)
	return nil
}

// loadDemoLibrary adds the demo's strategy documents to an empty library.
func loadDemoLibrary(ctx context.Context, lib *library.Library, log *slog.Logger) error {
	_, total, err := lib.Store().LibraryDocuments(ctx, 0, 1)
	if err != nil || total > 0 {
		return err
	}
	demoFiles, err := demo.LibraryFiles()
	if err != nil {
		return fmt.Errorf("demo library: %w", err)
	}
	files := make([]library.File, len(demoFiles))
	for i, f := range demoFiles {
		files[i] = library.File{Name: f.Name, Data: f.Data}
	}
	res, err := lib.Add(ctx, files, library.AddOptions{})
	if err != nil {
		return fmt.Errorf("load the demo library: %w", err)
	}
	log.Info("loaded the demo strategy library into the empty library", "documents", len(res.Added))
	return nil
}
