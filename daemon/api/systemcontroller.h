// The daemon's own endpoints: liveness (/healthz), readiness (/readyz), the API document
// (/api/openapi.json) and the caller's identity (/api/v1/me).
#pragma once

#include <QByteArray>

namespace mcpgate::http {
class Router;
struct RequestContext;
} // namespace mcpgate::http

namespace mcpgate::storage {
class Database;
}

namespace mcpgate::api {

class SystemController final
{
public:
    explicit SystemController(storage::Database &database);
    void registerRoutes(http::Router &router);

    // The OpenAPI document compiled into the binary.
    static QByteArray openApiDocument();

private:
    void ready(http::RequestContext &context);

    storage::Database &m_database;
};

} // namespace mcpgate::api
