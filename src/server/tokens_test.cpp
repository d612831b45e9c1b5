#include "server/tokens.h"

#include <gtest/gtest.h>

#include "server/token_config.h"

namespace earshot::server {
namespace {

TEST(Tokens, HashMatchesOnlyItsToken) {
  auto token = NewToken();
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->size(), 3u + 64u);
  EXPECT_EQ(token->substr(0, 3), "es_");
  auto stored = HashToken(*token);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->find(*token), std::string::npos) << "the token itself is never stored";
  EXPECT_TRUE(TokenMatches(*stored, *token));
  EXPECT_FALSE(TokenMatches(*stored, *token + "x"));
  EXPECT_FALSE(TokenMatches(*stored, ""));
  // Two hashes of one token differ (salt) and both match.
  auto again = HashToken(*token);
  EXPECT_NE(*again, *stored);
  EXPECT_TRUE(TokenMatches(*again, *token));
}

TEST(Tokens, MalformedStoredHashesNeverMatch) {
  for (const char* stored : {"", "$", "salt$", "salt$zz", "nodollar", "salt$0123"}) {
    EXPECT_FALSE(TokenMatches(stored, "es_x")) << stored;
  }
}

TEST(Tokens, AuthenticatorTellsWhoSends) {
  config::Project project;
  config::Provider a;
  a.name = "alpha";
  a.token_hashes = {*HashToken("tok-a")};
  config::Provider b;
  b.name = "beta";
  b.token_hashes = {"broken", *HashToken("tok-b")};
  project.providers = {a, b};
  project.readers = {{config::ReaderTier::kPro, *HashToken("tok-pro")},
                     {config::ReaderTier::kPublic, *HashToken("tok-pub")}};
  Authenticator auth(project);
  EXPECT_EQ(auth.Authenticate("tok-a").provider, "alpha");
  EXPECT_EQ(auth.Authenticate("tok-b").provider, "beta");
  EXPECT_EQ(auth.Authenticate("tok-b").kind, Identity::Kind::kProvider);
  EXPECT_EQ(auth.Authenticate("tok-pro").kind, Identity::Kind::kReader);
  EXPECT_EQ(auth.Authenticate("tok-pro").tier, config::ReaderTier::kPro);
  EXPECT_EQ(auth.Authenticate("tok-pub").tier, config::ReaderTier::kPublic);
  EXPECT_EQ(auth.Authenticate("tok-c").kind, Identity::Kind::kNobody);
  EXPECT_EQ(auth.Authenticate("").kind, Identity::Kind::kNobody);
}

TEST(Tokens, BearerHeader) {
  EXPECT_EQ(BearerToken("Bearer abc"), "abc");
  EXPECT_EQ(BearerToken("bearer   abc "), "abc");
  EXPECT_EQ(BearerToken("Basic abc"), "");
  EXPECT_EQ(BearerToken("Bearer"), "");
  EXPECT_EQ(BearerToken(""), "");
}

struct EditCase {
  const char* name;
  const char* before;
  const char* table;
  const char* after;  // nullptr: the edit is refused
};

TEST(TokenConfig, EditsKeepEverythingElse) {
  const EditCase cases[] = {
      {"adds to a one-line list",
       "# keep me\n[providers.a]\nshare = 0.1 # and me\ntoken_hashes = [\"s$1\"]  # me too\n", "providers.a",
       "# keep me\n[providers.a]\nshare = 0.1 # and me\ntoken_hashes = [\"s$1\", \"N\"]  # me too\n"},
      {"adds to an empty list", "[providers.a]\ntoken_hashes = []\n", "providers.a",
       "[providers.a]\ntoken_hashes = [\"N\"]\n"},
      {"adds to a list over several lines",
       "[providers.a]\ntoken_hashes = [\n  \"s$1\",  # old\n  \"s$2\"\n]\n[providers.b]\n", "providers.a",
       "[providers.a]\ntoken_hashes = [\n  \"s$1\",  # old\n  \"s$2\"\n, \"N\"]\n[providers.b]\n"},
      {"creates the key under the header", "[providers.a]\n# comment\nshare = 0.1\n[providers.a.mapping]\nx = \"y\"\n",
       "providers.a",
       "[providers.a]\ntoken_hashes = [\"N\"]\n# comment\nshare = 0.1\n[providers.a.mapping]\nx = \"y\"\n"},
      {"finds a header written with spaces", "[ providers . \"a\" ]\n", "providers.a",
       "[ providers . \"a\" ]\ntoken_hashes = [\"N\"]\n"},
      {"creates a reader table at the end", "[project]\nname = \"x\"", "readers.pro",
       "[project]\nname = \"x\"\n\n[readers.pro]\ntoken_hashes = [\"N\"]\n"},
      {"adds to an existing reader tier", "[readers.public]\ntoken_hashes = [\"s$1\"]\n", "readers.public",
       "[readers.public]\ntoken_hashes = [\"s$1\", \"N\"]\n"},
      {"refuses an inline table", "providers = { a = { share = 0.1 } }\n", "providers.a", nullptr},
      {"refuses a non-list", "[providers.a]\ntoken_hashes = \"s$1\"\n", "providers.a", nullptr},
  };
  for (const EditCase& c : cases) {
    auto edited = AddTokenHash(c.before, c.table, "N");
    if (c.after == nullptr) {
      EXPECT_FALSE(edited.ok()) << c.name << ": " << (edited.ok() ? *edited : "");
      continue;
    }
    ASSERT_TRUE(edited.ok()) << c.name << ": " << edited.status().message();
    EXPECT_EQ(*edited, c.after) << c.name;
  }
}

}  // namespace
}  // namespace earshot::server
