#include "models/model_dag.h"

#include <gtest/gtest.h>

namespace earshot::models {
namespace {

Model M(const char* path, const char* sql) {
  auto m = ParseModel(path, sql);
  EXPECT_TRUE(m.ok()) << m.status().message();
  return *m;
}

TEST(ModelDag, OrdersByDependencies) {
  auto ordered = OrderModels({M("p/models/marts/b.sql", "SELECT * FROM staging.a JOIN marts.c USING (x)"),
                              M("p/models/marts/c.sql", "SELECT * FROM staging.a"),
                              M("p/models/staging/a.sql", "SELECT * FROM raw.t")});
  ASSERT_TRUE(ordered.ok()) << ordered.status().message();
  std::vector<std::string> names;
  for (const auto& m : *ordered) names.push_back(m.qualified());
  EXPECT_EQ(names, (std::vector<std::string>{"staging.a", "marts.c", "marts.b"}));
}

TEST(ModelDag, MaterializedModelsSaySo) {
  EXPECT_TRUE(M("p/models/intermediate/a.sql", "-- earshot: materialized = table\nSELECT 1").materialized);
  EXPECT_FALSE(M("p/models/intermediate/b.sql", "-- materialized\nSELECT 1").materialized);
  auto shipped = PipelineModels("podcasts");
  ASSERT_TRUE(shipped.ok()) << shipped.status().message();
  std::vector<std::string> tables;
  for (const auto& m : *shipped) {
    if (m.materialized) tables.push_back(m.qualified());
  }
  EXPECT_EQ(tables, (std::vector<std::string>{"staging.stg_deliveries", "intermediate.int_event_listens",
                                              "intermediate.int_provider_days", "intermediate.int_provider_months",
                                              "intermediate.int_month_listens"}));
}

TEST(ModelDag, RejectsCyclesUnknownRefsAndBadLayers) {
  auto cycle = OrderModels({M("p/models/marts/a.sql", "SELECT * FROM marts.b"),
                            M("p/models/marts/b.sql", "SELECT * FROM marts.a")});
  ASSERT_FALSE(cycle.ok());
  EXPECT_NE(cycle.status().message().find("cycle"), std::string::npos);
  auto unknown = OrderModels({M("p/models/marts/a.sql", "SELECT * FROM staging.nope")});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("staging.nope"), std::string::npos);
  EXPECT_FALSE(ParseModel("p/models/elsewhere/a.sql", "SELECT 1").ok());
}

TEST(ModelDag, ShippedPlaylistsPipelineProducesTheContractMarts) {
  auto models = PipelineModels("playlists");
  ASSERT_TRUE(models.ok()) << models.status().message();
  std::vector<std::string> marts;
  for (const auto& m : *models) {
    if (m.layer == "marts") marts.push_back(m.name);
  }
  std::sort(marts.begin(), marts.end());
  EXPECT_EQ(marts, (std::vector<std::string>{"personalized_playlist_streams", "personalized_playlists",
                                             "playlist_popularity"}));
}

}  // namespace
}  // namespace earshot::models
