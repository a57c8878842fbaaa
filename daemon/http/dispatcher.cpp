#include "dispatcher.h"

#include "apierror.h"
#include "router.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcAccess, "mcpgate.http.access", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDispatch, "mcpgate.http", QtInfoMsg)

namespace mcpgate::http {

Dispatcher::Dispatcher(const Router &router, RequestAuthenticator &authenticator)
    : m_router(router)
    , m_authenticator(authenticator)
{ }

void Dispatcher::dispatch(const ExchangePtr &exchange) const
{
    auto started = std::make_shared<QElapsedTimer>();
    started->start();
    auto principalLabel = std::make_shared<QString>();

    if (lcAccess().isInfoEnabled()) {
        // The access log is written when the response has been handed to the socket, so that
        // asynchronous handlers are logged with their real status and duration.
        exchange->setFinishedHandler([exchange = std::weak_ptr<HttpExchange>(exchange), started,
                                      principalLabel](int status, qint64 bytes) {
            const auto locked = exchange.lock();
            if (!locked)
                return;
            const HttpRequest &request = locked->request();
            const QJsonObject line {
                {QStringLiteral("id"), QString::fromLatin1(locked->requestId())},
                {QStringLiteral("method"), QString::fromLatin1(request.method)},
                {QStringLiteral("path"), request.path},
                {QStringLiteral("status"), status},
                {QStringLiteral("bytes"), bytes},
                {QStringLiteral("ms"), static_cast<double>(started->nsecsElapsed()) / 1e6},
                {QStringLiteral("peer"), request.peerAddress.toString()},
                {QStringLiteral("principal"), *principalLabel},
            };
            qCInfo(lcAccess).noquote() << QJsonDocument(line).toJson(QJsonDocument::Compact);
        });
    }

    HttpRequest &request = exchange->request();
    try {
        const Router::Match match = m_router.match(request.method, request.path);
        if (!match.route) {
            if (!match.allowedMethods.isEmpty())
                throw ApiError::methodNotAllowed(match.allowedMethods);
            throw ApiError::notFound(QStringLiteral("No resource at %1.").arg(request.path));
        }
        request.pathParameters = match.parameters;

        RequestContext context {exchange, {}};
        if (!match.route->permission.isOpen()) {
            context.principal = m_authenticator.authenticate(request);
            *principalLabel = context.principal.subject;
            if (!context.principal.can(match.route->permission.name())) {
                throw ApiError::forbidden(
                    QStringLiteral("The role %1 lacks the permission %2.")
                        .arg(roleName(context.principal.role), match.route->permission.name()));
            }
        }
        match.route->handler(context);
    } catch (const ApiError &error) {
        exchange->fail(error);
    } catch (const std::exception &error) {
        qCWarning(lcDispatch).noquote() << "request" << exchange->requestId() << request.method
                                        << request.path << "failed:" << error.what();
        exchange->fail(ApiError::internal());
    }
}

} // namespace mcpgate::http
