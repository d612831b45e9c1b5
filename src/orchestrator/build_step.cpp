#include "orchestrator/build_step.h"

#include "ingest/raw_schema.h"
#include "models/build_settings.h"
#include "models/model_dag.h"

namespace earshot::orchestrator {

Result<models::BuildReport> BuildShippedModels(const config::Project& project, warehouse::Warehouse& wh,
                                               const std::string& as_of,
                                               const std::function<void(const models::ModelTiming&)>& on_model,
                                               const models::BeforePublish& gate) {
  return BuildShippedModels(project, wh, as_of, on_model, gate, project.published_file());
}

Result<models::BuildReport> BuildShippedModels(const config::Project& project, warehouse::Warehouse& wh,
                                               const std::string& as_of,
                                               const std::function<void(const models::ModelTiming&)>& on_model,
                                               const models::BeforePublish& gate,
                                               const std::filesystem::path& published_file) {
  EARSHOT_RETURN_IF_ERROR(ingest::EnsureRawSchema(wh));
  EARSHOT_RETURN_IF_ERROR(models::WriteBuildSettings(wh, project, as_of));
  // Every shipped pipeline, in one snapshot.
  std::vector<models::Model> all;
  for (const char* pipeline : {"playlists", "podcasts"}) {
    EARSHOT_ASSIGN_OR_RETURN(auto some, models::PipelineModels(pipeline));
    all.insert(all.end(), some.begin(), some.end());
  }
  EARSHOT_ASSIGN_OR_RETURN(auto ordered, models::OrderModels(std::move(all)));
  return models::BuildAndPublish(wh, ordered, published_file, on_model, gate);
}

}  // namespace earshot::orchestrator
