// Package auth decides who someone is and what they may do:
//
//   - passwords: argon2id hashes in the PHC string format (HashPassword,
//     CheckPassword, NeedsRehash) and the rules for new ones
//     (CheckNewPassword, after NIST SP 800-63B);
//   - sign-in: Authenticate, with a Throttle on failed attempts per account
//     and per address;
//   - authorisation: Can, the one function that decides whether a user (or
//     the public) may read, write, publish or reopen an Object. Every write
//     route of the web layer is to ask it.
//
// Sessions and OpenID Connect are to come here too.
package auth
