package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// server is a running `inkludera serve`.
type server struct {
	cmd  *exec.Cmd
	url  string // http://127.0.0.1:PORT
	done chan error
}

// serverEnv turns the API rate limit off, so that it does not shape the
// load: every client here comes from 127.0.0.1, where a limit per address
// would throttle all 64 as one. A server without the flag ignores it.
var serverEnv = []string{"INKLUDERA_API_RATE=0"}

// startServer starts inkludera serve on a free loopback port, with no
// scheduled fetch and a log of warnings and errors only, and waits until
// it listens. The log goes to logFile, appended.
func startServer(ctx context.Context, bin, dsn, logFile string) (*server, error) {
	log, err := os.OpenFile(logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	defer log.Close() // the child has its own descriptor
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", dsn,
		"--refresh-interval", "0", "--log-level", "warn")
	cmd.Env = append(os.Environ(), serverEnv...)
	cmd.Stderr = log
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, done: make(chan error, 1)}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "Inkludera listening on "); ok {
				listening <- u
			}
		}
		io.Copy(io.Discard, stdout)
		s.done <- cmd.Wait()
	}()
	select {
	case s.url = <-listening:
		return s, nil
	case err := <-s.done:
		return nil, fmt.Errorf("inkludera serve ended before listening: %v (log: %s)", err, logFile)
	case <-time.After(2 * time.Minute):
		s.kill()
		return nil, fmt.Errorf("inkludera serve did not listen within 2 minutes (log: %s)", logFile)
	case <-ctx.Done():
		s.kill()
		return nil, ctx.Err()
	}
}

// kill ends the server with SIGKILL: no shutdown, no flush, no goodbye.
func (s *server) kill() {
	s.cmd.Process.Kill()
	<-s.done
}

// stop ends the server as an operator does, with SIGTERM.
func (s *server) stop() error {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case err := <-s.done:
		return err
	case <-time.After(30 * time.Second):
		s.kill()
		return errors.New("inkludera serve did not stop within 30 s of SIGTERM; killed")
	}
}

// addUsers creates the clients' accounts with inkludera user add, the
// password on standard input, a few at a time.
func addUsers(ctx context.Context, bin, dsn string, users []account) error {
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	errs := make([]error, len(users))
	for i, u := range users {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			cmd := exec.CommandContext(ctx, bin, "user", "add", "--db", dsn, "--email", u.email, "--name", u.name,
				"--role", "samordnare", "--org", loadOrg)
			cmd.Stdin = strings.NewReader(u.password + "\n")
			if out, err := cmd.CombinedOutput(); err != nil {
				errs[i] = fmt.Errorf("user add %s: %v: %s", u.email, err, out)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// account is a client's user.
type account struct{ email, name, password string }

// waitHealthy waits until the server answers its health check.
func waitHealthy(ctx context.Context, base string) error {
	deadline := time.Now().Add(time.Minute)
	for {
		req, err := http.NewRequestWithContext(ctx, "GET", base+"/healthz", nil)
		if err != nil {
			return err
		}
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s/healthz did not answer 200 within a minute (last: %v)", base, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// postgresDB is a database of its own on a PostgreSQL server, made for
// the run and dropped after it.
type postgresDB struct {
	base, url, name string
}

// newPostgresDB creates the database on the server of base, whose role
// needs CREATEDB.
func newPostgresDB(ctx context.Context, base string) (*postgresDB, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("%q is not a postgres:// URL", base)
	}
	var b [4]byte
	rand.Read(b[:])
	p := &postgresDB{base: base, name: "inkludera_load_" + hex.EncodeToString(b[:])}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+p.name); err != nil {
		return nil, fmt.Errorf("creating database %s (the role needs CREATEDB): %w", p.name, err)
	}
	u.Path = "/" + p.name
	p.url = u.String()
	return p, nil
}

// drop removes the database. A plain DROP ends the autovacuum workers
// the run's writes may have called in, which FORCE may not: it needs the
// right to signal every backend, theirs too. FORCE is the fallback for a
// connection of the server left open, e.g. after an interrupted run.
func (p *postgresDB) drop(ctx context.Context) error {
	admin, err := sql.Open("pgx", p.base)
	if err != nil {
		return err
	}
	defer admin.Close()
	for try := 0; ; try++ {
		_, err = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+p.name)
		if err == nil {
			return nil
		}
		if _, ferr := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+p.name+" WITH (FORCE)"); ferr == nil {
			return nil
		}
		if try == 10 {
			return err
		}
		time.Sleep(time.Second)
	}
}
