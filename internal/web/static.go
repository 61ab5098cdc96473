package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"

	"github.com/inkludera/inkludera/internal/strategy"
)

// staticFiles serves the embedded files under /static/. Pages link them
// with a content hash in the query ("/static/style.css?v=1a2b…"), so a
// response to a hashed URL can be cached for a year: a new build changes
// the URL. Unhashed requests get a short lifetime.
type staticFiles struct {
	fsys   fs.FS
	hashes map[string]string // file name → short content hash
}

func newStaticFiles(fsys fs.FS, dir string) (*staticFiles, error) {
	sub := subFS(fsys, dir)
	sf := &staticFiles{fsys: sub, hashes: map[string]string{}}
	err := fs.WalkDir(sub, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		sf.hashes[path] = hex.EncodeToString(sum[:6])
		return nil
	})
	return sf, err
}

// url is the template function "static": the versioned URL of a file.
func (sf *staticFiles) url(name string) string {
	if h, ok := sf.hashes[name]; ok {
		return "/static/" + name + "?v=" + h
	}
	return "/static/" + name
}

// serveStatic handles GET /static/{file...}.
func (s *server) serveStatic(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	hash, ok := s.static.hashes[name]
	if !ok || strings.Contains(name, "..") {
		return strategy.Errorf(strategy.CodeNotFound, "Filen %q finns inte.", name)
	}
	if r.URL.Query().Get("v") == hash {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=3600")
	}
	// The ETag lets a browser revalidate an unhashed URL cheaply;
	// ServeFileFS answers If-None-Match with 304.
	w.Header().Set("ETag", `"`+hash+`"`)
	http.ServeFileFS(w, r, s.static.fsys, name)
	return nil
}
