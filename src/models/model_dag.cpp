#include "models/model_dag.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "models/embedded_files.h"

namespace earshot::models {

namespace {
const std::set<std::string> kLayers = {"staging", "intermediate", "marts"};
}

Result<Model> ParseModel(std::string_view path, std::string_view sql) {
  std::string p(path);
  size_t slash = p.rfind('/');
  size_t dir_slash = slash == std::string::npos || slash == 0 ? std::string::npos : p.rfind('/', slash - 1);
  if (slash == std::string::npos || p.size() < 5 || p.substr(p.size() - 4) != ".sql") {
    return Status::Invalid(p + ": a model is a .sql file inside a layer folder (staging/, marts/)");
  }
  Model m;
  m.path = p;
  m.name = p.substr(slash + 1, p.size() - slash - 5);
  m.layer = p.substr(dir_slash == std::string::npos ? 0 : dir_slash + 1,
                     slash - (dir_slash == std::string::npos ? 0 : dir_slash + 1));
  if (kLayers.count(m.layer) == 0) {
    return Status::Invalid(p + ": models live in staging/, intermediate/ or marts/, not '" + m.layer + "/'");
  }
  m.sql = std::string(sql);
  m.materialized = m.sql.find("-- earshot: materialized = table") != std::string::npos;
  return m;
}

Result<std::vector<Model>> PipelineModels(std::string_view pipeline) {
  std::vector<Model> out;
  std::string prefix = std::string(pipeline) + "/models/";
  for (const EmbeddedFile& f : EmbeddedFiles()) {
    if (f.path.substr(0, prefix.size()) != prefix) continue;
    EARSHOT_ASSIGN_OR_RETURN(Model m, ParseModel(f.path, f.contents));
    out.push_back(std::move(m));
  }
  if (out.empty()) return Status::NotFound("no models shipped for pipeline '" + std::string(pipeline) + "'");
  return OrderModels(std::move(out));
}

Result<std::vector<Model>> OrderModels(std::vector<Model> models) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < models.size(); ++i) {
    if (!index.emplace(models[i].qualified(), i).second) {
      return Status::Invalid("two models are named " + models[i].qualified());
    }
  }
  static const std::regex kRef(R"(\b(staging|intermediate|marts)\.([A-Za-z_][A-Za-z0-9_]*))");
  for (Model& m : models) {
    std::set<std::string> deps;
    for (auto it = std::sregex_iterator(m.sql.begin(), m.sql.end(), kRef); it != std::sregex_iterator(); ++it) {
      std::string ref = (*it)[1].str() + "." + (*it)[2].str();
      if (ref == m.qualified()) continue;
      if (index.count(ref) == 0) {
        return Status::Invalid(m.path + ": refers to " + ref + ", which is not a model of this pipeline");
      }
      deps.insert(ref);
    }
    m.depends_on.assign(deps.begin(), deps.end());
  }
  // Kahn's algorithm with a deterministic tie-break.
  auto rank = [](const Model& m) {
    int layer = m.layer == "staging" ? 0 : m.layer == "intermediate" ? 1 : 2;
    return std::make_pair(layer, m.name);
  };
  std::vector<Model> ordered;
  std::set<std::string> done;
  while (ordered.size() < models.size()) {
    const Model* next = nullptr;
    for (const Model& m : models) {
      if (done.count(m.qualified())) continue;
      bool ready = std::all_of(m.depends_on.begin(), m.depends_on.end(),
                               [&](const std::string& d) { return done.count(d) > 0; });
      if (ready && (next == nullptr || rank(m) < rank(*next))) next = &m;
    }
    if (next == nullptr) {
      std::string stuck;
      for (const Model& m : models) {
        if (!done.count(m.qualified())) stuck += (stuck.empty() ? "" : ", ") + m.qualified();
      }
      return Status::Invalid("models depend on each other in a cycle: " + stuck);
    }
    done.insert(next->qualified());
    ordered.push_back(*next);
  }
  return ordered;
}

}  // namespace earshot::models
