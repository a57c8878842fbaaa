// Maps method + path pattern ("/api/v1/servers/{id}") to a handler. Every route declares the
// permission it needs; validate() refuses a table with a route that declares none, so such a
// route can never be served.
#pragma once

#include "common/principal.h"
#include "httpexchange.h"

#include <QHash>
#include <QList>
#include <QString>

#include <functional>

namespace mcpgate::http {

class RoutePermission
{
public:
    // Reachable without credentials (health probes, the API document).
    static RoutePermission open() { return RoutePermission(QString(), true); }
    static RoutePermission require(const QString &permission)
    {
        return RoutePermission(permission, false);
    }
    static RoutePermission require(const char *permission)
    {
        return require(QString::fromLatin1(permission));
    }

    bool isOpen() const { return m_open; }
    const QString &name() const { return m_name; }
    bool isDeclared() const { return m_open || !m_name.isEmpty(); }

private:
    RoutePermission(QString name, bool open)
        : m_name(std::move(name))
        , m_open(open)
    { }
    QString m_name;
    bool m_open = false;
};

struct RequestContext
{
    ExchangePtr exchange;
    Principal principal;

    const HttpRequest &request() const { return exchange->request(); }
};

using RouteHandler = std::function<void(RequestContext &)>;

struct Route
{
    QByteArray method;
    QString pattern;
    RoutePermission permission;
    RouteHandler handler;
    QStringList segments; // "{name}" marks a parameter
};

class Router
{
public:
    void add(const QByteArray &method, const QString &pattern, const RoutePermission &permission,
             RouteHandler handler);

    // Throws std::invalid_argument naming every route without a declared permission, with an
    // empty handler, a malformed pattern, or registered twice.
    void validate() const;

    struct Match
    {
        const Route *route = nullptr;
        QHash<QString, QString> parameters;
        QList<QByteArray> allowedMethods; // filled when the path matched but the method did not
    };
    // HEAD falls back to the GET route of the same path.
    Match match(const QByteArray &method, const QString &path) const;

    const QList<Route> &routes() const { return m_routes; }

private:
    QList<Route> m_routes;
};

} // namespace mcpgate::http
