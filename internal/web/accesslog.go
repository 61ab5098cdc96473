package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// accessLog logs every request once it is answered: method, path, status,
// bytes, duration and, when identify found one, the user and how they were
// identified (web session or API token). Health checks log at debug level
// so that a load balancer probing every few seconds does not drown the log.
//
// When the logger's level leaves the line out, none of its work is done:
// no clock, no recorder, no copy of the request. A line costs more than
// answering from the page cache does (about 5 µs against 2 µs).
func accessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		level := slog.LevelInfo
		if r.URL.Path == "/healthz" {
			level = slog.LevelDebug
		}
		if !log.Enabled(r.Context(), level) {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		who := &requestUser{}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), requestUserKey{}, who)))
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Int64("bytes", rec.bytes),
			slog.Duration("duration", time.Since(start)),
		}
		if who.id != 0 {
			attrs = append(attrs, slog.Int64("user", who.id), slog.String("via", who.via))
		}
		log.LogAttrs(r.Context(), level, "request", attrs...)
	})
}

// requestUser is where identify leaves, for the access log, who a request
// came from: the log line is written outside identify, which only changes
// the context of the requests it passes on.
type requestUser struct {
	id  int64
	via string
}

type requestUserKey struct{}

// noteUser records the request's user for the access log.
func noteUser(ctx context.Context, id int64, via string) {
	if who, ok := ctx.Value(requestUserKey{}).(*requestUser); ok {
		who.id, who.via = id, via
	}
}

// statusRecorder remembers what a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (r *statusRecorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
