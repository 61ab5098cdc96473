package scb

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/inkludera/inkludera/internal/scb/scbtest"
)

// The fake SCB the tests talk to is scbtest.Server; it serves the files in
// testdata on a fake clock.

// testClient is a client of the fake server, on its clock.
func testClient(f *scbtest.Server, opts ...Option) *Client {
	opts = append([]Option{
		WithClock(f.Clock.Now, f.Clock.Sleep),
		WithV1BaseURL(f.V1URL),
	}, opts...)
	return New(f.URL, opts...)
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", path))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodeFile(t testing.TB, path string) *Dataset {
	t.Helper()
	ds, err := DecodeJSONStat(bytes.NewReader(readFile(t, path)))
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return ds
}
