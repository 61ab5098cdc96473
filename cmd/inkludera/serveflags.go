package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/followup"
	"github.com/inkludera/inkludera/internal/mail"
)

// oidcFlags configure sign-in through an OpenID Connect provider.
type oidcFlags struct {
	issuer, clientID, clientSecret, redirectURL, groupsClaim, roles *string
}

// visibleInPS warns about flags that carry secrets.
const visibleInPS = "; prefer the environment variable: a flag's value is visible to every user of the machine in process lists (ps)"

func (f *flags) oidc() oidcFlags {
	return oidcFlags{
		issuer:       f.string("oidc-issuer", "", "OpenID Connect issuer URL, where discovery starts (Entra ID: https://login.microsoftonline.com/TENANT-ID/v2.0); empty: sign-in with e-mail and password only"),
		clientID:     f.string("oidc-client-id", "", "OpenID Connect client (application) id"),
		clientSecret: f.string("oidc-client-secret", "", "OpenID Connect client secret"+visibleInPS),
		redirectURL:  f.string("oidc-redirect-url", "", "callback URL registered with the provider (default: --base-url followed by /logga-in/oidc/svar)"),
		groupsClaim:  f.string("oidc-groups-claim", "groups", "ID token claim that lists the user's groups"),
		roles:        f.string("oidc-roles", "", "roles of provider groups, comma-separated GROUP=ROLE[:ORG[:BODY]], e.g. 1a2b…=samordnare:2380,3c4d…=namndredaktor:2380:amn,5e6f…=admin; a user gets the most powerful role of their groups, and no sign-in without one"),
	}
}

// provider returns the configured OpenID provider after discovery, nil when
// none is configured. baseURL gives the default redirect URL.
func (o oidcFlags) provider(ctx context.Context, baseURL string) (*auth.OIDC, error) {
	if *o.issuer == "" {
		for name, v := range map[string]string{"--oidc-client-id": *o.clientID, "--oidc-client-secret": *o.clientSecret,
			"--oidc-redirect-url": *o.redirectURL, "--oidc-roles": *o.roles} {
			if v != "" {
				return nil, usageError{name + " needs --oidc-issuer"}
			}
		}
		return nil, nil
	}
	rules, err := auth.ParseGroupRules(*o.roles)
	if err != nil {
		return nil, usageError{"--oidc-roles: " + err.Error()}
	}
	redirect := *o.redirectURL
	if redirect == "" && baseURL != "" {
		redirect = strings.TrimSuffix(baseURL, "/") + "/logga-in/oidc/svar"
	}
	if redirect == "" {
		return nil, usageError{"--oidc-issuer needs --oidc-redirect-url or --base-url: the provider sends users back there"}
	}
	discoveryCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	p, err := auth.NewOIDC(discoveryCtx, auth.OIDCConfig{Issuer: *o.issuer, ClientID: *o.clientID, ClientSecret: *o.clientSecret,
		RedirectURL: redirect, GroupsClaim: *o.groupsClaim, Rules: rules})
	if err != nil {
		return nil, fmt.Errorf("--oidc-issuer: %w", err)
	}
	return p, nil
}

// mailFlags configure e-mail: the SMTP server reminders go through and
// the site's address their links point to.
type mailFlags struct {
	addr, from, user, password, tls, baseURL *string
	remindEvery                              *time.Duration
}

func (f *flags) mail() mailFlags {
	return mailFlags{
		addr:        f.string("smtp-addr", "", "SMTP server host:port for follow-up reminders; empty: no e-mail"),
		from:        f.string("smtp-from", "", `sender of e-mail, "Inkludera <noreply@kommun.se>"`),
		user:        f.string("smtp-user", "", "SMTP user name, when the server wants one"),
		password:    f.string("smtp-password", "", "SMTP password"+visibleInPS),
		tls:         f.string("smtp-tls", "", "SMTP encryption: starttls (required), tls (from the start, port 465), none; empty: STARTTLS when the server offers it"),
		baseURL:     f.string("base-url", "", "the site's public address, such as https://inkludera.kommun.se, for links in e-mails"),
		remindEvery: f.duration("remind-every", followup.DefaultInterval, "how often to look for follow-up reminders that are due; nobody gets more than one a day (0 = never)"),
	}
}

// sender returns the SMTP sender, nil when no server is configured.
func (m mailFlags) sender() (mail.Sender, error) {
	if *m.baseURL != "" {
		u, err := url.Parse(*m.baseURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, usageError{fmt.Sprintf("--base-url %q is not an address such as https://inkludera.kommun.se", *m.baseURL)}
		}
		*m.baseURL = strings.TrimSuffix(*m.baseURL, "/")
	}
	if *m.addr == "" {
		for name, v := range map[string]string{"--smtp-from": *m.from, "--smtp-user": *m.user, "--smtp-password": *m.password, "--smtp-tls": *m.tls} {
			if v != "" {
				return nil, usageError{name + " needs --smtp-addr"}
			}
		}
		return nil, nil
	}
	if *m.baseURL == "" {
		return nil, usageError{"--smtp-addr needs --base-url: reminders link to the site"}
	}
	s, err := mail.NewSMTP(mail.SMTPConfig{Addr: *m.addr, From: *m.from, Username: *m.user, Password: *m.password, TLS: *m.tls})
	if err != nil {
		return nil, usageError{"--smtp-addr: " + err.Error()}
	}
	return s, nil
}
