#include "server/tokens.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace earshot::server {

namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string out(2 * n, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 15];
  }
  return out;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool Unhex(std::string_view hex, unsigned char* out, size_t n) {
  if (hex.size() != 2 * n) return false;
  for (size_t i = 0; i < n; ++i) {
    int hi = HexDigit(hex[2 * i]), lo = HexDigit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return true;
}

void Digest(std::string_view salt, std::string_view token, unsigned char out[32]) {
  // The one-shot SHA256() needs one buffer; two updates avoid a copy.
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  unsigned int len = 0;
  EVP_DigestInit_ex(md, EVP_sha256(), nullptr);
  EVP_DigestUpdate(md, salt.data(), salt.size());
  EVP_DigestUpdate(md, token.data(), token.size());
  EVP_DigestFinal_ex(md, out, &len);
  EVP_MD_CTX_free(md);
}

Result<std::string> RandomHex(size_t bytes) {
  unsigned char buf[64];
  if (bytes > sizeof buf || RAND_bytes(buf, static_cast<int>(bytes)) != 1) {
    return Status::IoError("cannot get random bytes from OpenSSL for a token");
  }
  return Hex(buf, bytes);
}

// Splits "salt$hex" into a salt and a 32-byte digest.
bool ParseStored(std::string_view stored, std::string& salt, unsigned char digest[32]) {
  const size_t dollar = stored.find('$');
  if (dollar == std::string_view::npos || dollar == 0) return false;
  salt = std::string(stored.substr(0, dollar));
  return Unhex(stored.substr(dollar + 1), digest, 32);
}

}  // namespace

Result<std::string> NewToken() {
  EARSHOT_ASSIGN_OR_RETURN(std::string hex, RandomHex(32));
  return "es_" + hex;
}

Result<std::string> HashToken(std::string_view token) {
  EARSHOT_ASSIGN_OR_RETURN(std::string salt, RandomHex(16));
  unsigned char digest[32];
  Digest(salt, token, digest);
  return salt + "$" + Hex(digest, 32);
}

bool TokenMatches(std::string_view stored, std::string_view token) {
  std::string salt;
  unsigned char want[32], got[32];
  if (!ParseStored(stored, salt, want)) return false;
  Digest(salt, token, got);
  return CRYPTO_memcmp(want, got, 32) == 0;
}

Authenticator::Authenticator(const config::Project& project) {
  auto add = [&](const std::string& stored, Identity who) {
    Entry e;
    if (ParseStored(stored, e.salt, e.digest)) {
      e.who = std::move(who);
      entries_.push_back(std::move(e));
    }
  };
  for (const config::Provider& p : project.providers) {
    for (const std::string& h : p.token_hashes)
      add(h, {Identity::Kind::kProvider, p.name, config::ReaderTier::kPublic});
  }
  for (const config::ReaderToken& r : project.readers) add(r.hash, {Identity::Kind::kReader, "", r.tier});
}

Identity Authenticator::Authenticate(std::string_view token) const {
  if (token.empty()) return {};
  unsigned char got[32];
  for (const Entry& e : entries_) {
    Digest(e.salt, token, got);
    if (CRYPTO_memcmp(e.digest, got, 32) == 0) return e.who;
  }
  return {};
}

std::string_view BearerToken(std::string_view authorization) {
  while (!authorization.empty() && authorization.front() == ' ') authorization.remove_prefix(1);
  if (authorization.size() < 7) return {};
  for (size_t i = 0; i < 6; ++i) {
    if ((authorization[i] | 0x20) != "bearer"[i]) return {};
  }
  if (authorization[6] != ' ') return {};
  std::string_view token = authorization.substr(7);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\r')) token.remove_suffix(1);
  return token;
}

}  // namespace earshot::server
