// The OpenAPI 3 document of the HTTP API, served at GET /openapi.json. It is
// written by hand, and router_test checks that its paths and methods are
// exactly the routes the server answers.
#pragma once

#include <string_view>

namespace earshot::server {

std::string_view OpenApiDocument();

}  // namespace earshot::server
