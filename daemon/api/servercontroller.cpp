#include "servercontroller.h"

#include "common/permissions.h"
#include "http/apierror.h"
#include "http/router.h"
#include "jsonbody.h"
#include "registry/registryerror.h"
#include "registry/serverdraft.h"
#include "registry/serverquery.h"
#include "registry/serverrecord.h"
#include "registry/serverrepository.h"
#include "registry/servervalidator.h"
#include "registry/validationerror.h"

#include <QJsonArray>

#include <optional>

namespace mcpgate::api {

namespace {

using http::ApiError;
using http::HttpResponse;

// Runs `work`, turning the registry's own errors into API errors.
template<typename Work> auto mapRegistryErrors(Work &&work)
{
    try {
        return work();
    } catch (const registry::ValidationError &error) {
        throw ApiError::validation(error.fieldErrors());
    } catch (const registry::RegistryError &error) {
        switch (error.kind()) {
        case registry::RegistryError::Kind::NotFound:
            throw ApiError::notFound(error.message());
        case registry::RegistryError::Kind::NameConflict:
            throw ApiError::conflict(error.message());
        case registry::RegistryError::Kind::StaleRevision:
            throw ApiError::preconditionFailed(error.message());
        }
        throw;
    }
}

// If-Match: absent = unconditional; "*" = the server must exist; "<revision>" = that revision.
// Weak tags never match (RFC 9110 strong comparison), so they fail the precondition.
std::optional<qint64> expectedRevision(const http::HttpRequest &request)
{
    const QByteArray header = request.headers.value("If-Match").trimmed();
    if (header.isEmpty() || header == "*")
        return std::nullopt;
    for (const QByteArray &candidate : header.split(',')) {
        const QByteArray tag = candidate.trimmed();
        if (tag.size() >= 3 && tag.startsWith('"') && tag.endsWith('"')) {
            bool ok = false;
            const qint64 revision = tag.mid(1, tag.size() - 2).toLongLong(&ok);
            if (ok && revision > 0)
                return revision;
        }
    }
    return -1; // matches no stored revision
}

HttpResponse recordResponse(int status, const registry::ServerRecord &record)
{
    HttpResponse response = HttpResponse::json(status, record.toJson());
    response.headers.add("ETag", record.etag());
    response.headers.add("Cache-Control", "no-store");
    return response;
}

} // namespace

ServerController::ServerController(registry::ServerRepository &repository)
    : m_repository(repository)
{ }

void ServerController::registerRoutes(http::Router &router)
{
    using http::RoutePermission;
    const QString collection = QStringLiteral("/api/v1/servers");
    const QString item = QStringLiteral("/api/v1/servers/{id}");
    router.add("GET", collection, RoutePermission::require(permissions::ServersRead),
               [this](http::RequestContext &context) { list(context); });
    router.add("POST", collection, RoutePermission::require(permissions::ServersWrite),
               [this](http::RequestContext &context) { create(context); });
    router.add("GET", item, RoutePermission::require(permissions::ServersRead),
               [this](http::RequestContext &context) { get(context); });
    router.add("PATCH", item, RoutePermission::require(permissions::ServersWrite),
               [this](http::RequestContext &context) { update(context); });
    router.add("DELETE", item, RoutePermission::require(permissions::ServersDelete),
               [this](http::RequestContext &context) { remove(context); });
}

void ServerController::list(http::RequestContext &context)
{
    const auto page = mapRegistryErrors([&] {
        const registry::ServerQuery query
            = registry::ServerQuery::fromUrlQuery(context.request().query);
        return m_repository.list(context.principal.tenant, query);
    });
    QJsonArray items;
    for (const registry::ServerRecord &record : page.items)
        items.append(record.toJson());
    QJsonObject body {{QStringLiteral("items"), items}};
    body.insert(QStringLiteral("nextCursor"),
                page.nextCursor.isEmpty() ? QJsonValue() : QJsonValue(page.nextCursor));
    HttpResponse response = HttpResponse::json(200, body);
    response.headers.add("Cache-Control", "no-store");
    context.exchange->respond(std::move(response));
}

void ServerController::create(http::RequestContext &context)
{
    const QJsonObject input = readJsonObject(context.request());
    const registry::ServerRecord record = mapRegistryErrors([&] {
        const registry::ServerDraft draft = registry::ServerValidator::validateCreate(input);
        return m_repository.create(context.principal.tenant, context.principal.subject, draft);
    });
    HttpResponse response = recordResponse(201, record);
    response.headers.add("Location", "/api/v1/servers/" + record.id.toUtf8());
    context.exchange->respond(std::move(response));
}

void ServerController::get(http::RequestContext &context)
{
    const QString id = context.request().pathParameter(QStringLiteral("id"));
    const auto record = m_repository.get(context.principal.tenant, id);
    if (!record)
        throw ApiError::notFound(QStringLiteral("No server with id %1.").arg(id));
    if (context.request().headers.value("If-None-Match") == record->etag()) {
        HttpResponse notModified = HttpResponse::empty(304);
        notModified.headers.add("ETag", record->etag());
        context.exchange->respond(std::move(notModified));
        return;
    }
    context.exchange->respond(recordResponse(200, *record));
}

void ServerController::update(http::RequestContext &context)
{
    const QJsonObject patch
        = readJsonObject(context.request(), {"application/merge-patch+json", "application/json"});
    const QString id = context.request().pathParameter(QStringLiteral("id"));
    const std::optional<qint64> expected = expectedRevision(context.request());
    const registry::ServerRecord record = mapRegistryErrors([&] {
        const auto current = m_repository.get(context.principal.tenant, id);
        if (!current)
            throw registry::RegistryError(registry::RegistryError::Kind::NotFound,
                                          QStringLiteral("No server with id %1.").arg(id));
        if (expected && *expected != current->revision)
            throw registry::RegistryError(
                registry::RegistryError::Kind::StaleRevision,
                QStringLiteral("The server changed since it was read (now revision %1); "
                               "read it again and retry.")
                    .arg(current->revision));
        const registry::ServerDraft draft
            = registry::ServerValidator::validatePatch(*current, patch);
        return m_repository.update(context.principal.tenant, id, draft,
                                   expected ? expected : current->revision);
    });
    context.exchange->respond(recordResponse(200, record));
}

void ServerController::remove(http::RequestContext &context)
{
    const QString id = context.request().pathParameter(QStringLiteral("id"));
    const std::optional<qint64> expected = expectedRevision(context.request());
    const bool removed = mapRegistryErrors(
        [&] { return m_repository.remove(context.principal.tenant, id, expected); });
    if (!removed)
        throw ApiError::notFound(QStringLiteral("No server with id %1.").arg(id));
    context.exchange->respond(HttpResponse::empty(204));
}

} // namespace mcpgate::api
