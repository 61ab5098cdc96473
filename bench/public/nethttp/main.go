// Command nethttp is bench/public's third side: Go's net/http serving the
// page's bytes from memory with the headers Inkludera sent, with no
// middleware, no cache lookup and no logging. It is the ceiling of any
// handler behind net/http's server on the same machine, so the run shows
// how much of the gap to nginx is Inkludera's and how much is the server's.
package main

import (
	"bufio"
	"flag"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18382", "address to listen on")
	body := flag.String("body", "", "file with the page's bytes")
	headers := flag.String("headers", "", "the page's response headers as curl -D wrote them")
	path := flag.String("path", "/", "the page's path")
	flag.Parse()
	page, err := os.ReadFile(*body)
	if err != nil {
		log.Fatal(err)
	}
	h, err := readHeaders(*headers)
	if err != nil {
		log.Fatal(err)
	}
	h["Content-Length"] = []string{strconv.Itoa(len(page))}
	srv := &http.Server{
		Addr: *addr,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != *path {
				http.NotFound(w, r)
				return
			}
			out := w.Header()
			for k, v := range h {
				out[k] = v
			}
			w.WriteHeader(http.StatusOK)
			w.Write(page)
		}),
		// The timeouts of inkludera serve, which cost a timer each.
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	log.Fatal(srv.ListenAndServe())
}

// readHeaders reads the headers of a response that describe the page
// (not Date, Content-Length or the connection's own).
func readHeaders(name string) (http.Header, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := http.Header{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimRight(sc.Text(), "\r"), ":")
		if !ok {
			continue
		}
		switch k = http.CanonicalHeaderKey(k); k {
		case "Date", "Content-Length", "Connection", "Keep-Alive", "Set-Cookie":
		default:
			h.Add(k, strings.TrimSpace(v))
		}
	}
	return h, sc.Err()
}
