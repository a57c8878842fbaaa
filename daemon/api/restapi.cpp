#include "restapi.h"

#include "servercontroller.h"
#include "systemcontroller.h"

namespace mcpgate::api {

RestApi::RestApi(storage::Database &database, registry::ServerRepository &servers)
    : m_system(std::make_unique<SystemController>(database))
    , m_servers(std::make_unique<ServerController>(servers))
{ }

RestApi::~RestApi() = default;

void RestApi::registerRoutes(http::Router &router)
{
    m_system->registerRoutes(router);
    m_servers->registerRoutes(router);
}

} // namespace mcpgate::api
