package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/inkludera/inkludera/internal/demo"
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
	refresh := f.duration("refresh-interval", 24*time.Hour, "how often to fetch from Kolada and SCB (0 = never)")
	urls := f.sources()
	adminToken := f.string("admin-token", "", "password of the admin pages /admin/… (HTTP Basic, any user name); empty: no admin pages. Prefer the environment variable: flags show in process lists")
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

	fetcher := urls.fetcher(st)
	fetcher.Log = log
	// The store closes when serve returns; a scheduled fetch must have
	// ended by then (the stop signal cancels its requests).
	scheduleCtx, stopSchedule := context.WithCancel(ctx)
	scheduled := make(chan struct{})
	go func() {
		defer close(scheduled)
		fetcher.Schedule(scheduleCtx, *refresh)
	}()
	defer func() { stopSchedule(); <-scheduled }()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	site := web.New(st, log, web.WithAdmin(*adminToken, fetcher))
	defer site.Close() // before st.Close: ends a fetch started from the admin page
	srv := &http.Server{
		Handler:           site,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	url := "http://" + ln.Addr().String()
	log.Info("listening", "url", url, "db", *db)
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
