package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

// cliIn is cli with stdin as standard input.
func cliIn(t testing.TB, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = runWithStdin(context.Background(), args, noEnv, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

// userDB returns a database with the demo organisations (Östersund 2380,
// Strömsund 2313 and its bodies) imported.
func userDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "users.db")
	mustCLI(t, append([]string{"import", "--db", db}, demoFiles(t)...)...)
	return db
}

// signIn checks a password against the database the way the server will.
func signIn(t *testing.T, db, email, password string) (strategy.User, error) {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	return auth.Authenticate(context.Background(), st, nil, email, password, "")
}

func TestUserAddPasswdList(t *testing.T) {
	db := userDB(t)

	// An admin with a generated password, printed once.
	out, _, err := cliIn(t, "", "user", "add", "--db", db, "--email", "ada@kommun.se", "--name", "Ada Admin",
		"--role", "admin", "--generate-password")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^Password \(shown only now\): (\S+)$`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "Created admin ada@kommun.se (id 1).") {
		t.Fatalf("output:\n%s", out)
	}
	if u, err := signIn(t, db, "Ada@Kommun.se", m[1]); err != nil || u.Role != strategy.RoleAdmin {
		t.Fatalf("sign in with the generated password: %+v %v", u, err)
	}

	// A nämndredaktör with a piped password: the first line, spaces kept,
	// CRLF or LF taken off.
	const evas = "  korrekt häst batteri häftklammer "
	out, stderr, err := cliIn(t, evas+"\r\nignored second line\n", "user", "add", "--db", db, "--email", "eva@stromsund.se",
		"--name", "Eva Redaktör", "--role", "namndredaktor", "--org", "2313", "--body", "namnder")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if want := "Created namndredaktor eva@stromsund.se (id 2) for body namnder of 2313.\n"; out != want {
		t.Errorf("output %q, want %q", out, want)
	}
	if strings.Contains(out+stderr, "häftklammer") {
		t.Error("the password was echoed")
	}
	if _, err := signIn(t, db, "eva@stromsund.se", evas); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	if _, err := signIn(t, db, "eva@stromsund.se", strings.TrimSpace(evas)); strategy.CodeOf(err) != strategy.CodeUnauthorized {
		t.Errorf("the spaces around a password are part of it: %v", err)
	}

	mustCLIIn(t, "sju sorters kakor till kaffet\n", "user", "add", "--db", db, "--email", "sam@ostersund.se", "--name", "Sam Samordnare",
		"--role", "samordnare", "--org", "2380")

	// A new password replaces the old one.
	out = mustCLIIn(t, "en helt annan mening nu\n", "user", "passwd", "--db", db, "--email", "EVA@stromsund.se")
	if out != "Changed the password of eva@stromsund.se.\n" {
		t.Errorf("passwd output %q", out)
	}
	if _, err := signIn(t, db, "eva@stromsund.se", evas); strategy.CodeOf(err) != strategy.CodeUnauthorized {
		t.Errorf("the old password still works: %v", err)
	}
	if _, err := signIn(t, db, "eva@stromsund.se", "en helt annan mening nu"); err != nil {
		t.Errorf("the new password does not work: %v", err)
	}
	out = mustCLIIn(t, "", "user", "passwd", "--db", db, "--email", "sam@ostersund.se", "--generate-password")
	m = regexp.MustCompile(`(?m)^Password \(shown only now\): (\S+)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("passwd --generate-password output:\n%s", out)
	}
	if _, err := signIn(t, db, "sam@ostersund.se", m[1]); err != nil {
		t.Errorf("the generated password does not work: %v", err)
	}

	out = mustCLI(t, "user", "list", "--db", db)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("list:\n%s", out)
	}
	for i, want := range []string{
		`^ID\s+E-MAIL\s+NAME\s+ROLE\s+ORG\s+BODY\s+SIGN-IN\s+CREATED$`,
		`^1\s+ada@kommun\.se\s+Ada Admin\s+admin\s+-\s+-\s+password\s+\d{4}-\d\d-\d\d$`,
		`^2\s+eva@stromsund\.se\s+Eva Redaktör\s+namndredaktor\s+2313\s+namnder\s+password\s+`,
		`^3\s+sam@ostersund\.se\s+Sam Samordnare\s+samordnare\s+2380\s+-\s+password\s+`,
	} {
		if !regexp.MustCompile(want).MatchString(lines[i]) {
			t.Errorf("list line %d = %q, want %s", i, lines[i], want)
		}
	}
}

func mustCLIIn(t testing.TB, stdin string, args ...string) string {
	t.Helper()
	out, errOut, err := cliIn(t, stdin, args...)
	if err != nil {
		t.Fatalf("inkludera %s: %v\n%s", strings.Join(args, " "), err, errOut)
	}
	return out
}

func TestUserErrors(t *testing.T) {
	db := userDB(t)
	const good = "korrekt häst batteri häftklammer\n"
	mustCLIIn(t, good, "user", "add", "--db", db, "--email", "ada@kommun.se", "--name", "Ada", "--role", "admin")
	add := func(extra ...string) []string {
		return append([]string{"user", "add", "--db", db}, extra...)
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		exit  int
		says  []string
	}{
		{"no command", "", []string{"user"}, 2, []string{"add, passwd, list or token"}},
		{"unknown command", "", []string{"user", "remove"}, 2, []string{`unknown user command "remove"`}},
		{"nothing given", good, add(), 2, []string{"--email: is required", "--name: is required", "--role: must be"}},
		{"bad e-mail", good, add("--email", "ada at kommun", "--name", "A", "--role", "admin"), 2, []string{"--email: is not an e-mail address"}},
		{"bad role", good, add("--email", "b@kommun.se", "--name", "B", "--role", "chef"), 2, []string{`--role: must be admin, samordnare, namndredaktor or lasare, got "chef"`}},
		{"admin with organisation", good, add("--email", "b@kommun.se", "--name", "B", "--role", "admin", "--org", "2380"), 2, []string{"--org: an admin"}},
		{"samordnare without organisation", good, add("--email", "b@kommun.se", "--name", "B", "--role", "samordnare"), 2, []string{"--org: a samordnare needs"}},
		{"nämndredaktör without body", good, add("--email", "b@kommun.se", "--name", "B", "--role", "namndredaktor", "--org", "2313"), 2, []string{"--body: a namndredaktor needs"}},
		{"organisation not stored", good, add("--email", "b@kommun.se", "--name", "B", "--role", "lasare", "--org", "0180"), 2, []string{`--org: no organisation "0180" is stored`}},
		{"body not stored", good, add("--email", "b@kommun.se", "--name", "B", "--role", "namndredaktor", "--org", "2380", "--body", "namnder"), 2, []string{`--body: organisation 2380 has no body "namnder"`}},
		{"e-mail taken", good, add("--email", "ADA@kommun.se", "--name", "B", "--role", "admin"), 1, []string{"--email: a user with e-mail ADA@kommun.se already exists"}},
		{"no password", "", add("--email", "b@kommun.se", "--name", "B", "--role", "admin"), 1, []string{"no password on standard input", "--generate-password"}},
		{"short password", "kort\n", add("--email", "b@kommun.se", "--name", "B", "--role", "admin"), 1, []string{"minst 12 tecken"}},
		{"common password", "Sommar2024!!\n", add("--email", "b@kommun.se", "--name", "B", "--role", "admin"), 1, []string{"för vanligt"}},
		{"own e-mail as password", "b.bengtsson@kommun.se\n", add("--email", "b.bengtsson@kommun.se", "--name", "B", "--role", "admin"), 1, []string{"e-postadress"}},
		{"password too long", strings.Repeat("x", 2000), add("--email", "b@kommun.se", "--name", "B", "--role", "admin"), 1, []string{"longer than 1024 bytes"}},
		{"argument", good, add("--email", "b@kommun.se", "--name", "B", "--role", "admin", "extra"), 2, []string{`got "extra"`}},
		{"password as a flag", good, add("--email", "b@kommun.se", "--name", "B", "--role", "admin", "--password", "x"), 2, []string{"-password"}},
		{"passwd without e-mail", good, []string{"user", "passwd", "--db", db}, 2, []string{"--email is required"}},
		{"passwd of nobody", good, []string{"user", "passwd", "--db", db, "--email", "nobody@kommun.se"}, 1, []string{"--email: no user with e-mail nobody@kommun.se"}},
		{"passwd, weak", "password1234\n", []string{"user", "passwd", "--db", db, "--email", "ada@kommun.se"}, 1, []string{"för vanligt"}},
		{"list with an argument", "", []string{"user", "list", "--db", db, "x"}, 2, []string{"no arguments"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, err := cliIn(t, tc.stdin, tc.args...)
			if err == nil {
				t.Fatal("succeeded")
			}
			if exitCode(err) != tc.exit {
				t.Errorf("exit %d, want %d (%v)", exitCode(err), tc.exit, err)
			}
			for _, s := range tc.says {
				if !strings.Contains(err.Error()+stderr, s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
		})
	}
	// Nothing was stored by the failures; Ada's password is unchanged.
	out := mustCLI(t, "user", "list", "--db", db)
	if n := strings.Count(out, "\n"); n != 2 {
		t.Errorf("%d lines listed, want the header and Ada:\n%s", n, out)
	}
	if _, err := signIn(t, db, "ada@kommun.se", strings.TrimSpace(good)); err != nil {
		t.Error(err)
	}
}

// Through run() (no standard input), a password must be generated.
func TestUserAddWithoutStdin(t *testing.T) {
	db := userDB(t)
	if _, _, err := cli(t, "user", "add", "--db", db, "--email", "a@kommun.se", "--name", "A", "--role", "admin"); err == nil ||
		!strings.Contains(err.Error(), "no password on standard input") {
		t.Errorf("err = %v", err)
	}
	mustCLI(t, "user", "add", "--db", db, "--email", "a@kommun.se", "--name", "A", "--role", "admin", "--generate-password")
}
