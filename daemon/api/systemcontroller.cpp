#include "systemcontroller.h"

#include "common/permissions.h"
#include "http/apierror.h"
#include "http/router.h"
#include "storage/database.h"
#include "storage/migrator.h"

#include <QFile>
#include <QJsonObject>
#include <QLoggingCategory>

#include <mcpgate/version.h>

Q_LOGGING_CATEGORY(lcSystem, "mcpgate.api.system", QtInfoMsg)

namespace mcpgate::api {

using http::HttpResponse;
using http::RoutePermission;

SystemController::SystemController(storage::Database &database)
    : m_database(database)
{ }

QByteArray SystemController::openApiDocument()
{
    QFile file(QStringLiteral(":/mcpgate/openapi.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

void SystemController::registerRoutes(http::Router &router)
{
    router.add("GET", QStringLiteral("/healthz"), RoutePermission::open(),
               [](http::RequestContext &context) {
                   HttpResponse response = HttpResponse::json(
                       200,
                       QJsonObject {{QStringLiteral("status"), QStringLiteral("ok")},
                                    {QStringLiteral("version"), QStringLiteral(MCPGATE_VERSION)}});
                   response.headers.add("Cache-Control", "no-store");
                   context.exchange->respond(std::move(response));
               });
    router.add("GET", QStringLiteral("/readyz"), RoutePermission::open(),
               [this](http::RequestContext &context) { ready(context); });
    router.add("GET", QStringLiteral("/api/openapi.json"), RoutePermission::open(),
               [](http::RequestContext &context) {
                   static const QByteArray document = openApiDocument();
                   if (document.isEmpty())
                       throw http::ApiError::internal(
                           QStringLiteral("The API document is missing from this build."));
                   context.exchange->respond(HttpResponse::text(200, document, "application/json"));
               });
    router.add("GET", QStringLiteral("/api/v1/me"), RoutePermission::require(permissions::SelfRead),
               [](http::RequestContext &context) {
                   HttpResponse response = HttpResponse::json(200, context.principal.toJson());
                   response.headers.add("Cache-Control", "no-store");
                   context.exchange->respond(std::move(response));
               });
}

void SystemController::ready(http::RequestContext &context)
{
    QJsonObject body;
    bool ready = false;
    if (!m_database.isReachable()) {
        body.insert(QStringLiteral("database"), QStringLiteral("unreachable"));
    } else {
        body.insert(QStringLiteral("database"), QStringLiteral("ok"));
        try {
            const int current = storage::Migrator::currentVersion(m_database);
            body.insert(QStringLiteral("schemaVersion"), current);
            ready = current == storage::Migrator::latestVersion();
            if (!ready)
                body.insert(QStringLiteral("detail"),
                            QStringLiteral("migrations are not complete"));
        } catch (const std::exception &error) {
            qCWarning(lcSystem) << "readiness check failed:" << error.what();
            body.insert(QStringLiteral("detail"), QStringLiteral("schema version unknown"));
        }
    }
    body.insert(QStringLiteral("status"),
                ready ? QStringLiteral("ready") : QStringLiteral("not-ready"));
    HttpResponse response = HttpResponse::json(ready ? 200 : 503, body);
    response.headers.add("Cache-Control", "no-store");
    context.exchange->respond(std::move(response));
}

} // namespace mcpgate::api
