// Tokens of the HTTP API. A provider sends instant events with a provider
// token; the website (or anyone) reads with a read token of tier `public`
// or `pro`, or with none (public numbers). A token is printed once by
// `earshot token create` and only its salted hash is kept in earshot.toml:
// "salt$hex" where hex = SHA-256(salt + token), salt 16 random bytes in hex.
//
// Authenticator: who a bearer token belongs to, from the hashes in a loaded
// Project. Immutable once built, so any number of threads may use it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/project.h"

namespace earshot::server {

// A new random token ("es_" + 64 hex digits), or an IoError when the system
// has no randomness to give.
Result<std::string> NewToken();
// The stored form of `token` with a new random salt.
Result<std::string> HashToken(std::string_view token);
// True when `stored` ("salt$hex") is the hash of `token` (constant time in
// the hash comparison). A malformed `stored` never matches.
bool TokenMatches(std::string_view stored, std::string_view token);

struct Identity {
  enum class Kind { kNobody, kProvider, kReader };
  Kind kind = Kind::kNobody;
  std::string provider;                                   // kProvider: the provider the token sends as
  config::ReaderTier tier = config::ReaderTier::kPublic;  // kReader
};

class Authenticator {
 public:
  explicit Authenticator(const config::Project& project);
  // The owner of `token`, or kNobody when no stored hash matches.
  Identity Authenticate(std::string_view token) const;

 private:
  struct Entry {
    std::string salt;
    unsigned char digest[32];
    Identity who;
  };
  std::vector<Entry> entries_;
};

// The token of an `Authorization: Bearer <token>` header value; empty when
// the header is absent or not a bearer token.
std::string_view BearerToken(std::string_view authorization);

}  // namespace earshot::server
