package main

import (
	"context"
	"fmt"
	"math"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/followup"
	"github.com/inkludera/inkludera/internal/mail"
	"github.com/inkludera/inkludera/internal/web"
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

// limitFlags configure what the server believes of reverse proxies and
// how fast one client may use the API (docs/security.md).
type limitFlags struct {
	trustedProxies          *string
	apiRate, apiWriteRate   *float64
	apiBurst, apiWriteBurst *int
}

func (f *flags) limits() limitFlags {
	d := web.DefaultAPIRateLimit
	return limitFlags{
		trustedProxies: f.string("trusted-proxies", "", "reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, comma- or space-separated addresses or CIDR networks such as 10.0.0.0/8; empty: none, the connection's address is the client's"),
		apiRate:        f.float("api-rate", d.Read.PerSecond, "API reads (GET) a client may make per second on average: per API token or signed-in user, else per address; 0 turns the API's rate limit off, reads and writes"),
		apiBurst:       f.integer("api-burst", d.Read.Burst, "API reads a client may make at once, after a quiet while"),
		apiWriteRate:   f.float("api-write-rate", d.Write.PerSecond, "API writes (POST, PUT, DELETE) a client may make per second on average; 0: writes unlimited"),
		apiWriteBurst:  f.integer("api-write-burst", d.Write.Burst, "API writes a client may make at once, after a quiet while"),
	}
}

// options are the web options of the flags: the trusted proxies and the
// API's rate limit.
func (l limitFlags) options() ([]web.Option, error) {
	var proxies []netip.Prefix
	for _, s := range strings.FieldsFunc(*l.trustedProxies, func(r rune) bool { return r == ',' || r == ' ' }) {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return nil, usageError{fmt.Sprintf("--trusted-proxies: %q is not an address or a network such as 10.0.0.0/8", s)}
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		proxies = append(proxies, p.Masked())
	}
	for name, v := range map[string]float64{"--api-rate": *l.apiRate, "--api-write-rate": *l.apiWriteRate} {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, usageError{fmt.Sprintf("%s %v: give requests per second, 0 or more", name, v)}
		}
	}
	for name, v := range map[string]int{"--api-burst": *l.apiBurst, "--api-write-burst": *l.apiWriteBurst} {
		if v < 1 {
			return nil, usageError{fmt.Sprintf("%s %d: give the requests allowed at once, 1 or more", name, v)}
		}
	}
	limit := web.APIRateLimit{} // --api-rate 0: no limit at all
	if *l.apiRate > 0 {
		limit = web.APIRateLimit{Read: web.Rate{PerSecond: *l.apiRate, Burst: *l.apiBurst},
			Write: web.Rate{PerSecond: *l.apiWriteRate, Burst: *l.apiWriteBurst}}
	}
	return []web.Option{web.WithTrustedProxies(proxies), web.WithAPIRateLimit(limit)}, nil
}

// float is a flag holding a number, such as a rate.
func (f *flags) float(name string, def float64, help string) *float64 {
	if v := f.getenv(envName(name)); v != "" {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			f.bad = append(f.bad, fmt.Sprintf("%s=%q is not a number such as 20 or 0.5", envName(name), v))
		}
		def = n
	}
	return f.Float64(name, def, fmt.Sprintf("%s (env %s)", help, envName(name)))
}

// integer is a flag holding a whole number, such as a count.
func (f *flags) integer(name string, def int, help string) *int {
	if v := f.getenv(envName(name)); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			f.bad = append(f.bad, fmt.Sprintf("%s=%q is not a whole number such as 60", envName(name), v))
		}
		def = n
	}
	return f.Int(name, def, fmt.Sprintf("%s (env %s)", help, envName(name)))
}
