// `earshot token create`: a new token for the HTTP API, printed once; only
// its salted hash is stored in earshot.toml (comments and layout kept).
//   --provider NAME          sends instant events as that provider
//   --reader --tier T        reads (public: rounded numbers; pro: exact)
#include <iostream>
#include <memory>
#include <string>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "server/token_config.h"
#include "server/tokens.h"

namespace earshot::cli {

namespace {

int CreateToken(const std::string& dir, const std::string& provider, bool reader, const std::string& tier) {
  if (reader == !provider.empty()) {
    return Fail(Status::Invalid("token create: pass either --provider NAME or --reader --tier public|pro"));
  }
  if (reader && tier != "public" && tier != "pro") {
    return Fail(Status::Invalid("token create: --tier is public or pro"));
  }
  auto project = LoadProject(dir);
  if (!project.ok()) return Fail(project.status());
  std::string table;
  if (reader) {
    table = "readers." + tier;
  } else {
    const config::Provider* p = project->FindProvider(provider);
    if (p == nullptr)
      return Fail(Status::Invalid("unknown provider '" + provider + "': declare [providers." + provider +
                                  "] in earshot.toml first"));
    if (!p->Delivers(config::Delivery::kInstant)) {
      return Fail(Status::Invalid("provider '" + provider +
                                  "' does not declare instant deliveries: add \"instant\" to "
                                  "its deliveries in earshot.toml first"));
    }
    table = "providers." + provider;
  }
  auto token = server::NewToken();
  if (!token.ok()) return Fail(token.status());
  auto hash = server::HashToken(*token);
  if (!hash.ok()) return Fail(hash.status());
  Status st = server::AddTokenHashToFile(project->config_file(), table, *hash);
  if (!st.ok()) return Fail(st);
  std::cout << *token << "\n";
  std::cerr << "earshot: a " << (reader ? tier + " read" : "provider " + provider) << " token; it is shown only now ("
            << project->config_file().filename().string() << " keeps its salted hash under [" << table << "])\n";
  return kExitOk;
}

}  // namespace

void AddTokenCommand(CLI::App& app, int& exit_code) {
  auto* verb = app.add_subcommand("token", "Tokens of the HTTP API");
  verb->require_subcommand(1);
  auto dir = std::make_shared<std::string>(".");
  auto provider = std::make_shared<std::string>();
  auto reader = std::make_shared<bool>(false);
  auto tier = std::make_shared<std::string>("public");
  auto* create =
      verb->add_subcommand("create", "Create a token, print it once and store its salted hash in earshot.toml");
  AddProjectOption(create, *dir);
  create->add_option("--provider", *provider, "A token to send instant events as this provider")->type_name("NAME");
  create->add_flag("--reader", *reader, "A read token");
  create->add_option("--tier", *tier, "Read tier: public (rounded numbers) or pro (exact, with bounds)")
      ->type_name("public|pro");
  create->callback([=, &exit_code] { exit_code = CreateToken(*dir, *provider, *reader, *tier); });
}

}  // namespace earshot::cli
