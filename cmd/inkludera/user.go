package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

const userUsage = `Usage:
  inkludera user add    --email E --name N --role R [--org CODE] [--body KEY] [--generate-password]
  inkludera user passwd --email E [--generate-password]
  inkludera user list
  inkludera user token  --email E --name N

Roles: admin (everything, users too; no --org), samordnare (all content of
--org), namndredaktor (the action plans of --body in --org, reads the rest of
--org), lasare (reads --org, changes nothing).

The password is read from standard input: typed twice at a prompt on a
terminal, or the first line of what is piped in. With --generate-password one
is made and printed once. A password is never a flag, since flags show in
process lists. It needs at least 12 characters and must not be a common one.

user token makes an API token for the user: a program sends it as
"Authorization: Bearer …" and acts as the user. --name says what it is for.
The token is printed once; only its hash is stored. Revoke it on the account
page (/konto).
`

func runUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprint(stderr, userUsage)
		return usageError{"user needs a command: add, passwd, list or token"}
	}
	sub, args := args[0], args[1:]
	f := newFlags("user "+sub, getenv, stderr)
	f.Usage = func() { fmt.Fprint(stderr, userUsage); f.PrintDefaults() }
	db := f.dbFlag()
	switch sub {
	case "add":
		return runUserAdd(ctx, f, db, args, stdin, stdout, stderr)
	case "passwd":
		return runUserPasswd(ctx, f, db, args, stdin, stdout, stderr)
	case "list":
		if err := f.parse(args); err != nil {
			return err
		}
		if f.NArg() > 0 {
			return usageError{fmt.Sprintf("user list takes no arguments, got %q", f.Arg(0))}
		}
		return runUserList(ctx, *db, stdout)
	case "token":
		return runUserToken(ctx, f, db, args, stdout)
	}
	fmt.Fprint(stderr, userUsage)
	return usageError{fmt.Sprintf("unknown user command %q (add, passwd, list or token)", sub)}
}

func runUserAdd(ctx context.Context, f *flags, db *string, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	email := f.String("email", "", "the user's e-mail address, their sign-in name")
	name := f.String("name", "", "the user's name")
	role := f.String("role", "", "admin, samordnare, namndredaktor or lasare")
	org := f.String("org", "", "code of the organisation the role applies to (not for admin)")
	body := f.String("body", "", "key of the body whose action plans a namndredaktor keeps")
	generate := f.Bool("generate-password", false, "make a password and print it once instead of reading one")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usageError{fmt.Sprintf("user add takes no arguments after the flags, got %q", f.Arg(0))}
	}
	u := strategy.User{Email: strings.TrimSpace(*email), Name: strings.TrimSpace(*name), Role: strategy.Role(*role),
		Org: strings.TrimSpace(*org), Body: strings.TrimSpace(*body)}
	if err := u.Validate(); err != nil {
		return flagErrors(err)
	}

	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	// Say so before asking for a password that would be typed for nothing.
	if _, err := st.UserByEmail(ctx, u.Email); err == nil {
		return fmt.Errorf("--email: a user with e-mail %s already exists; change the password with inkludera user passwd", u.Email)
	} else if strategy.CodeOf(err) != strategy.CodeNotFound {
		return err
	}

	password, err := newPassword(*generate, stdin, stderr, u)
	if err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	created, err := st.CreateUser(ctx, u, hash)
	if err != nil {
		return flagErrors(err)
	}
	fmt.Fprintf(stdout, "Created %s %s (id %d)%s.\n", created.Role, created.Email, created.ID, scope(created))
	if *generate {
		fmt.Fprintf(stdout, "Password (shown only now): %s\n", password)
	}
	return nil
}

func runUserPasswd(ctx context.Context, f *flags, db *string, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	email := f.String("email", "", "the e-mail address of the user")
	generate := f.Bool("generate-password", false, "make a password and print it once instead of reading one")
	if err := f.parse(args); err != nil {
		return err
	}
	switch {
	case f.NArg() > 0:
		return usageError{fmt.Sprintf("user passwd takes no arguments after the flags, got %q", f.Arg(0))}
	case strings.TrimSpace(*email) == "":
		return usageError{"--email is required: whose password to change"}
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, strings.TrimSpace(*email))
	if strategy.CodeOf(err) == strategy.CodeNotFound {
		return fmt.Errorf("--email: no user with e-mail %s", strings.TrimSpace(*email))
	}
	if err != nil {
		return err
	}
	if u.Issuer != "" {
		return fmt.Errorf("--email: %s signs in through %s and has no password here", u.Email, u.Issuer)
	}
	password, err := newPassword(*generate, stdin, stderr, u)
	if err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	if err := st.SetPasswordHash(ctx, u.ID, hash); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Changed the password of %s.\n", u.Email)
	if *generate {
		fmt.Fprintf(stdout, "Password (shown only now): %s\n", password)
	}
	return nil
}

func runUserToken(ctx context.Context, f *flags, db *string, args []string, stdout io.Writer) error {
	email := f.String("email", "", "the e-mail address of the user the token acts as")
	name := f.String("name", "", `what the token is for, such as "rapportverktyget"`)
	if err := f.parse(args); err != nil {
		return err
	}
	switch {
	case f.NArg() > 0:
		return usageError{fmt.Sprintf("user token takes no arguments after the flags, got %q", f.Arg(0))}
	case strings.TrimSpace(*email) == "":
		return usageError{"--email is required: whose token to make"}
	case strings.TrimSpace(*name) == "":
		return usageError{"--name is required: what the token is for"}
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, strings.TrimSpace(*email))
	if strategy.CodeOf(err) == strategy.CodeNotFound {
		return fmt.Errorf("--email: no user with e-mail %s", strings.TrimSpace(*email))
	}
	if err != nil {
		return err
	}
	if u.Disabled {
		return fmt.Errorf("--email: %s is disabled; a token of theirs would not work", u.Email)
	}
	secret, hash := auth.NewAPIToken()
	t, err := st.CreateAPIToken(ctx, strategy.APIToken{UserID: u.ID, Name: strings.TrimSpace(*name)}, hash)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Created API token %d %q for %s (%s).\n", t.ID, t.Name, u.Email, u.Role)
	fmt.Fprintf(stdout, "Token (shown only now): %s\n", secret)
	return nil
}

func runUserList(ctx context.Context, db string, stdout io.Writer) error {
	st, err := openStore(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	users, err := st.ListUsers(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tE-MAIL\tNAME\tROLE\tORG\tBODY\tSIGN-IN\tCREATED")
	for _, u := range users {
		signIn := "password"
		if u.Issuer != "" {
			signIn = u.Issuer
		} else if h, err := st.PasswordHash(ctx, u.ID); err != nil {
			return err
		} else if h == "" {
			signIn = "none"
		}
		if u.Disabled {
			signIn += " (disabled)"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, dash(u.Org), dash(u.Body),
			signIn, u.CreatedAt.Format("2006-01-02"))
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// scope describes where a user's role applies.
func scope(u strategy.User) string {
	switch {
	case u.Body != "":
		return fmt.Sprintf(" for body %s of %s", u.Body, u.Org)
	case u.Org != "":
		return " for " + u.Org
	}
	return ""
}

// flagErrors turns a user's validation problems into one error naming the
// flags; other errors pass unchanged.
func flagErrors(err error) error {
	var v strategy.ValidationErrors
	if !errors.As(err, &v) {
		return err
	}
	msgs := make([]string, len(v))
	for i, e := range v {
		msgs[i] = "--" + e.Path + ": " + e.Message
	}
	return usageError{strings.Join(msgs, "; ")}
}

// newPassword generates a password or reads one, and checks a read one
// against the password rules.
func newPassword(generate bool, stdin io.Reader, stderr io.Writer, u strategy.User) (string, error) {
	if generate {
		// 26 characters of base32: 128 random bits.
		return rand.Text(), nil
	}
	password, err := readPassword(stdin, stderr)
	if err != nil {
		return "", err
	}
	if err := auth.CheckNewPassword(password, u.Email, u.Name); err != nil {
		return "", fmt.Errorf("the password on standard input: %w", err)
	}
	return password, nil
}

// errNoPassword is the error of an empty standard input.
var errNoPassword = errors.New("no password on standard input: pipe one in (first line), or use --generate-password")

// readPassword reads a new password: at a prompt, twice and without echo,
// when standard input is a terminal; otherwise the first line, without its
// line ending (spaces are part of the password).
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if stdin == nil {
		return "", errNoPassword
	}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "New password: ")
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("reading the password: %w", err)
		}
		fmt.Fprint(stderr, "Again: ")
		again, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("reading the password: %w", err)
		}
		if string(first) != string(again) {
			return "", errors.New("the two passwords differ")
		}
		if len(first) == 0 {
			return "", errors.New("no password typed: type one, or use --generate-password")
		}
		return string(first), nil
	}
	// Read a bounded amount: standard input could be anything.
	r := bufio.NewReaderSize(io.LimitReader(stdin, auth.MaxPasswordBytes+2), auth.MaxPasswordBytes+2)
	line, err := r.ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("reading the password from standard input: %w", err)
	}
	if !strings.HasSuffix(line, "\n") && len(line) > auth.MaxPasswordBytes {
		return "", fmt.Errorf("the password on standard input is longer than %d bytes", auth.MaxPasswordBytes)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", errNoPassword
	}
	return line, nil
}
