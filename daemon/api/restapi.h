// The daemon's whole REST surface in one place: builds every controller over the services it
// needs and registers their routes, so the daemon and the API-document test see the same table.
#pragma once

#include <memory>

namespace mcpgate::http {
class Router;
}
namespace mcpgate::registry {
class ServerRepository;
}
namespace mcpgate::storage {
class Database;
}

namespace mcpgate::api {

class ServerController;
class SystemController;

class RestApi final
{
public:
    RestApi(storage::Database &database, registry::ServerRepository &servers);
    ~RestApi();

    // Adds every route; the caller validates the router afterwards.
    void registerRoutes(http::Router &router);

private:
    std::unique_ptr<SystemController> m_system;
    std::unique_ptr<ServerController> m_servers;
};

} // namespace mcpgate::api
