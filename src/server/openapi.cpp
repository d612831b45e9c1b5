#include "server/openapi.h"

namespace earshot::server {

namespace {

constexpr std::string_view kDocument = R"json({
  "openapi": "3.0.3",
  "info": {
    "title": "earshot HTTP API",
    "version": "1",
    "description": "Instant listen events in (providers, with a provider token), podcast estimates out (the website). Reads come from the published marts; without a token, or with a public read token, listen numbers are rounded to two significant figures; a pro read token gets exact estimates, bounds, observed listens, coverage and providers reporting. Errors are {\"error\": {\"code\", \"message\"}}; 429 and 503 carry Retry-After."
  },
  "components": {
    "securitySchemes": {
      "bearer": {"type": "http", "scheme": "bearer", "description": "A token printed by `earshot token create`."}
    },
    "parameters": {
      "month": {"name": "month", "in": "query", "required": false, "description": "YYYY-MM; default: the newest month there is.", "schema": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}},
      "limit": {"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}}
    },
    "schemas": {
      "Error": {
        "type": "object", "required": ["error"],
        "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}
      },
      "Tier": {"type": "string", "enum": ["public", "pro"]},
      "ListensAnswer": {
        "type": "object", "required": ["provider", "lines", "accepted", "duplicated", "rejected", "rejects"],
        "properties": {
          "provider": {"type": "string", "description": "The provider of the token."},
          "lines": {"type": "integer", "description": "Non-blank lines in the body."},
          "accepted": {"type": "integer", "description": "Events appended to the log, on disk before this answer."},
          "duplicated": {"type": "integer", "description": "Events whose (provider, event_id) was already received; counted once."},
          "rejected": {"type": "integer"},
          "rejects": {"type": "array", "items": {"type": "object", "properties": {
            "line": {"type": "integer"}, "code": {"type": "string", "enum": ["invalid_utf8", "invalid_json", "too_deep", "not_an_object", "invalid_value", "not_an_event", "missing_field", "invalid_timestamp"]},
            "field": {"type": "string"}, "message": {"type": "string"}}}},
          "rejects_truncated": {"type": "boolean"}
        }
      },
      "Estimates": {
        "type": "object",
        "properties": {
          "podcast_id": {"type": "string"}, "podcast_title": {"type": "string", "nullable": true}, "tier": {"$ref": "#/components/schemas/Tier"},
          "months": {"type": "array", "items": {"type": "object", "properties": {
            "month": {"type": "string"}, "estimated_listens": {"type": "number", "nullable": true},
            "estimate_low": {"type": "number", "nullable": true, "description": "pro only"},
            "estimate_high": {"type": "number", "nullable": true, "description": "pro only"},
            "observed_listens": {"type": "integer", "description": "pro only"},
            "coverage": {"type": "number", "description": "pro only"},
            "providers_reporting": {"type": "integer", "description": "pro only"},
            "month_complete": {"type": "boolean"}}}}
        }
      },
      "Rising": {
        "type": "object",
        "properties": {
          "month": {"type": "string", "nullable": true}, "tier": {"$ref": "#/components/schemas/Tier"},
          "podcasts": {"type": "array", "items": {"type": "object", "properties": {
            "rank": {"type": "integer"}, "podcast_id": {"type": "string"}, "podcast_title": {"type": "string", "nullable": true},
            "estimated_listens": {"type": "number", "nullable": true}, "growth_3m": {"type": "number", "nullable": true},
            "mom_growth": {"type": "number", "nullable": true}}}}
        }
      },
      "Creators": {
        "type": "object",
        "properties": {
          "month": {"type": "string", "nullable": true}, "tier": {"$ref": "#/components/schemas/Tier"},
          "creators": {"type": "array", "items": {"type": "object", "properties": {
            "rank": {"type": "integer"}, "creator_id": {"type": "string"}, "creator_name": {"type": "string", "nullable": true},
            "episodes": {"type": "integer"}, "attributed_listens": {"type": "number", "nullable": true},
            "avg_listens_per_episode": {"type": "number", "nullable": true}}}}
        }
      },
      "First30Days": {
        "type": "object",
        "properties": {
          "episode_id": {"type": "string"}, "podcast_id": {"type": "string"}, "episode_title": {"type": "string", "nullable": true},
          "published_at": {"type": "string", "nullable": true}, "tier": {"$ref": "#/components/schemas/Tier"},
          "estimated_listens_30d": {"type": "number", "nullable": true},
          "observed_listens_30d": {"type": "integer", "description": "pro only"},
          "coverage_30d": {"type": "number", "description": "pro only"},
          "window_complete": {"type": "boolean"}
        }
      }
    },
    "responses": {
      "Error": {"description": "An error.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    }
  },
  "paths": {
    "/v1/listens": {
      "post": {
        "summary": "Send instant listen events (NDJSON, one event a line).",
        "description": "The provider is the token's. Lines are checked one by one; good lines are appended to the durable log and fsync'd (group commit) before the answer, bad lines are reported with their line number and reason. Repeating an event_id is safe: it is counted once. A line claiming another provider (or ?provider= naming another) refuses the whole request with 403.",
        "security": [{"bearer": []}],
        "parameters": [{"name": "provider", "in": "query", "required": false, "description": "Must be the token's provider when given.", "schema": {"type": "string"}}],
        "requestBody": {"required": true, "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
        "responses": {
          "202": {"description": "Processed: the accepted events are on disk.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ListensAnswer"}}}},
          "400": {"$ref": "#/components/responses/Error"},
          "401": {"$ref": "#/components/responses/Error"},
          "403": {"$ref": "#/components/responses/Error"},
          "413": {"$ref": "#/components/responses/Error"},
          "429": {"$ref": "#/components/responses/Error"},
          "503": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/podcasts/{id}/estimates": {
      "get": {
        "summary": "Monthly listen estimates of one podcast.",
        "security": [{}, {"bearer": []}],
        "parameters": [
          {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
          {"name": "from", "in": "query", "required": false, "schema": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}},
          {"name": "to", "in": "query", "required": false, "schema": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}}
        ],
        "responses": {
          "200": {"description": "The podcast's months.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Estimates"}}}},
          "400": {"$ref": "#/components/responses/Error"},
          "401": {"$ref": "#/components/responses/Error"},
          "404": {"$ref": "#/components/responses/Error"},
          "503": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/podcasts/rising": {
      "get": {
        "summary": "Podcasts by three-month growth (podcast_trends.trend_rank) in a month.",
        "security": [{}, {"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/month"}, {"$ref": "#/components/parameters/limit"}],
        "responses": {
          "200": {"description": "Ranked podcasts.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Rising"}}}},
          "400": {"$ref": "#/components/responses/Error"},
          "401": {"$ref": "#/components/responses/Error"},
          "503": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/creators/top": {
      "get": {
        "summary": "Creators by attributed listens (creator_popularity.rank) in a month.",
        "security": [{}, {"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/month"}, {"$ref": "#/components/parameters/limit"}],
        "responses": {
          "200": {"description": "Ranked creators.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Creators"}}}},
          "400": {"$ref": "#/components/responses/Error"},
          "401": {"$ref": "#/components/responses/Error"},
          "503": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/episodes/{id}/first-30-days": {
      "get": {
        "summary": "Listens in an episode's first 30 days.",
        "security": [{}, {"bearer": []}],
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {
          "200": {"description": "The episode's window.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/First30Days"}}}},
          "401": {"$ref": "#/components/responses/Error"},
          "404": {"$ref": "#/components/responses/Error"},
          "503": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/healthz": {
      "get": {"summary": "The process is up.", "responses": {"200": {"description": "Alive.", "content": {"application/json": {"schema": {"type": "object"}}}}}}
    },
    "/readyz": {
      "get": {
        "summary": "Ready: the warehouse is open and the log writable.",
        "responses": {
          "200": {"description": "Ready.", "content": {"application/json": {"schema": {"type": "object"}}}},
          "503": {"description": "Not ready (shutting down, disk low, log failed).", "content": {"application/json": {"schema": {"type": "object"}}}}
        }
      }
    },
    "/metrics": {
      "get": {"summary": "Prometheus metrics.", "responses": {"200": {"description": "Prometheus text format 0.0.4.", "content": {"text/plain": {"schema": {"type": "string"}}}}}}
    },
    "/openapi.json": {
      "get": {"summary": "This document.", "responses": {"200": {"description": "OpenAPI 3.", "content": {"application/json": {"schema": {"type": "object"}}}}}}
    }
  }
}
)json";

}  // namespace

std::string_view OpenApiDocument() { return kDocument; }

}  // namespace earshot::server
