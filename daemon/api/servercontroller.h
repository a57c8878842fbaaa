// REST resource /api/v1/servers: list, register, read, update (merge patch with If-Match) and
// delete the MCP servers of the caller's tenant.
#pragma once

namespace mcpgate::http {
class Router;
struct RequestContext;
} // namespace mcpgate::http

namespace mcpgate::registry {
class ServerRepository;
}

namespace mcpgate::api {

class ServerController final
{
public:
    explicit ServerController(registry::ServerRepository &repository);
    void registerRoutes(http::Router &router);

private:
    void list(http::RequestContext &context);
    void create(http::RequestContext &context);
    void get(http::RequestContext &context);
    void update(http::RequestContext &context);
    void remove(http::RequestContext &context);

    registry::ServerRepository &m_repository;
};

} // namespace mcpgate::api
