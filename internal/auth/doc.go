// Package auth decides who someone is and what they may do:
//
//   - passwords: argon2id hashes in the PHC string format (HashPassword,
//     CheckPassword, NeedsRehash), the rules for new ones
//     (CheckNewPassword, after NIST SP 800-63B) and GeneratePassword;
//   - sign-in with a password: Authenticate, with a Throttle on failed
//     attempts per account and per address;
//   - sessions: Sessions, server-side sessions (github.com/alexedwards/scs)
//     kept in a strategy.SessionStore under the SHA-256 of their token, with
//     SignIn renewing the token against session fixation, a flash message
//     and the pending OpenID Connect sign-in;
//   - OpenID Connect (Microsoft Entra ID and others): OIDC.Begin and
//     OIDC.Finish run the authorization code flow with PKCE and a nonce and
//     verify the ID token; SignInOIDC finds the account by issuer and
//     subject, never by e-mail, creates or updates it and gives it the role
//     of its groups (GroupRule, ParseGroupRules). Package oidctest is a
//     provider for tests;
//   - API tokens: NewAPIToken, HashToken (only hashes are stored) and
//     BearerToken to read one from a request;
//   - the first run: EnsureAdmin creates an admin with a generated password
//     when there is no user at all;
//   - authorisation: Can, the one function that decides whether a user (or
//     the public) may read, write, publish or reopen an Object. Every write
//     route of the web layer is to ask it.
//
// Errors that users see are *strategy.Error with a Swedish message; the
// English cause, for the log, is wrapped in its Err.
package auth
