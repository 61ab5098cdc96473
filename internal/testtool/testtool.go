// Package testtool finds the external programs tests need (pdftotext,
// LibreOffice, Chromium). Locally a missing program skips the test; under
// CI=true, where .ci/run installs them, it fails it: a test that silently
// skips in CI proves nothing.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// Find returns what find finds, or skips (fails under CI=true) the test,
// naming what is missing.
func Find(t testing.TB, what string, find func() (string, error)) string {
	t.Helper()
	p, err := find()
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is needed under CI=true: %v", what, err)
	}
	t.Skipf("%s is not installed: %v", what, err)
	return ""
}

// Path is Find of a program on PATH.
func Path(t testing.TB, name string) string {
	t.Helper()
	return Find(t, name, func() (string, error) { return exec.LookPath(name) })
}
