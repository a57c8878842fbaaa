// Runs every request through the same steps: route lookup (404/405), authentication,
// permission check (deny by default), the handler, the error mapping and the access log.
#pragma once

#include "common/principal.h"
#include "httpexchange.h"

namespace mcpgate::http {

class Router;
struct HttpRequest;

// Turns credentials into a Principal. Throws ApiError (401) for missing or bad credentials.
class RequestAuthenticator
{
public:
    virtual ~RequestAuthenticator() = default;
    virtual Principal authenticate(const HttpRequest &request) = 0;
};

class Dispatcher final
{
public:
    Dispatcher(const Router &router, RequestAuthenticator &authenticator);
    void dispatch(const ExchangePtr &exchange) const;

private:
    const Router &m_router;
    RequestAuthenticator &m_authenticator;
};

} // namespace mcpgate::http
