package strategy

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Role is what a signed-in user may do; internal/auth.Can spells it out.
// The public is not a role: it is the absence of a user (a nil *User).
type Role string

const (
	// RoleAdmin may do everything, including managing users. Not tied to an
	// organisation.
	RoleAdmin Role = "admin"
	// RoleCoordinator (samordnare) edits and publishes all content of one
	// organisation.
	RoleCoordinator Role = "samordnare"
	// RoleEditor (nämndredaktör) keeps one body's action plans and follow-up
	// notes, and reads the rest of the organisation's content.
	RoleEditor Role = "namndredaktor"
	// RoleReader (läsare) reads one organisation's content, published or
	// not, and changes nothing.
	RoleReader Role = "lasare"
)

// Roles lists every role, most powerful first.
func Roles() []Role { return []Role{RoleAdmin, RoleCoordinator, RoleEditor, RoleReader} }

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleCoordinator, RoleEditor, RoleReader:
		return true
	}
	return false
}

// User is an account. Invariants (Validate): the e-mail is an address and
// unique among users regardless of case; an admin has neither organisation
// nor body; a samordnare and a läsare have an organisation and no body; a
// nämndredaktör has both. Issuer and Subject identify an account signed in
// through OpenID Connect and are both set or both empty; such an account is
// found by them, never by its e-mail, which the provider may change.
//
// The password hash is deliberately not a field: it is read and written
// only through Store.PasswordHash and Store.SetPasswordHash, so that a User
// can be logged, rendered or encoded without carrying it.
type User struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	Body      string    `json:"body,omitempty"` // body key, for a nämndredaktör
	Org       string    `json:"org,omitempty"`  // organisation code the role applies to; "" for admin
	Disabled  bool      `json:"disabled,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	Issuer    string    `json:"issuer,omitempty"`  // OpenID Connect issuer; "" for local accounts
	Subject   string    `json:"subject,omitempty"` // the issuer's subject (Entra ID: object id)
}

// maxEmail is the longest address SMTP can carry (RFC 5321 path limit).
const maxEmail = 254

// Validate checks the user's fields against the invariants above. The paths
// of the ValidationErrors are the field names: email, name, role, org, body,
// issuer, subject.
func (u User) Validate() error {
	p := newProblems("")
	if en, sv := emailProblem(u.Email); en != "" {
		p.put("email", sv, en)
	}
	if strings.TrimSpace(u.Name) == "" {
		p.add("name", "Ange användarens namn.", "is required")
	}
	switch u.Role {
	case RoleAdmin:
		if u.Org != "" {
			p.add("org", "En administratör hör inte till någon organisation. Lämna fältet tomt.",
				"an admin is not tied to an organisation, got %q", u.Org)
		}
		if u.Body != "" {
			p.add("body", "En administratör hör inte till något organ. Lämna fältet tomt.",
				"an admin is not tied to a body, got %q", u.Body)
		}
	case RoleCoordinator, RoleReader, RoleEditor:
		switch {
		case u.Org == "":
			p.add("org", fmt.Sprintf("Välj vilken organisation rollen som %s gäller.", roleSv[u.Role]),
				"a %s needs the organisation the role applies to", u.Role)
		case !ValidOrgCode(u.Org):
			p.add("org", fmt.Sprintf("Koden ”%s” är ingen kommunkod (fyra siffror) eller länskod (två siffror).", u.Org),
				"%q is not a kommun, län or riket code (four or two digits)", u.Org)
		}
		switch {
		case u.Role != RoleEditor && u.Body != "":
			p.add("body", fmt.Sprintf("Bara en nämndredaktör hör till ett organ; en %s arbetar med hela organisationen. Lämna fältet tomt.", roleSv[u.Role]),
				"only a namndredaktor has a body; a %s covers the whole organisation", u.Role)
		case u.Role == RoleEditor && u.Body == "":
			p.add("body", "Välj det organ vars aktivitetsplaner nämndredaktören sköter.",
				"a namndredaktor needs the body whose action plans they keep")
		case u.Role == RoleEditor && !ValidKey(u.Body):
			p.addKey("body", u.Body)
		}
	default:
		p.add("role", "Välj roll: administratör, samordnare, nämndredaktör eller läsare.",
			"must be admin, samordnare, namndredaktor or lasare, got %q", u.Role)
	}
	if (u.Issuer == "") != (u.Subject == "") {
		if u.Issuer == "" {
			p.add("issuer", "Ange utfärdaren (issuer) när ämnet (subject) är angivet.", "is required when subject is set")
		} else {
			p.add("subject", "Ange ämnet (subject) när utfärdaren (issuer) är angiven.", "is required when issuer is set")
		}
	}
	return p.err()
}

// roleSv is each role's Swedish name, for messages.
var roleSv = map[Role]string{
	RoleAdmin:       "administratör",
	RoleCoordinator: "samordnare",
	RoleEditor:      "nämndredaktör",
	RoleReader:      "läsare",
}

// emailProblem says what is wrong with an e-mail address, in English and
// in Swedish, or "" if nothing.
// It accepts a bare addr-spec only ("anna@kommun.se", not "Anna
// <anna@kommun.se>") with a dotted domain, since the address is a sign-in
// name and where reminders go.
func emailProblem(s string) (en, sv string) {
	const example = "Skriv en e-postadress som anna.andersson@kommun.se."
	switch {
	case s == "":
		return "is required", "Ange en e-postadress."
	case len(s) > maxEmail:
		return "is longer than 254 characters", "E-postadressen får vara högst 254 tecken lång."
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "is not an e-mail address such as anna.andersson@kommun.se", example
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "is not an e-mail address such as anna.andersson@kommun.se (the domain needs a dot)",
			"Delen efter @ behöver en punkt, som i anna.andersson@kommun.se."
	}
	return "", ""
}
