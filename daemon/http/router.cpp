#include "router.h"

#include <QRegularExpression>

#include <stdexcept>

namespace mcpgate::http {

namespace {
bool isParameter(const QString &segment)
{
    return segment.size() > 2 && segment.startsWith(u'{') && segment.endsWith(u'}');
}

QStringList splitPath(const QString &path)
{
    // "/a/b/" and "/a/b" are different resources; keep the empty trailing segment.
    QStringList segments = path.split(u'/');
    if (!segments.isEmpty() && segments.first().isEmpty())
        segments.removeFirst();
    return segments;
}
} // namespace

void Router::add(const QByteArray &method, const QString &pattern,
                 const RoutePermission &permission, RouteHandler handler)
{
    m_routes.append(Route {method, pattern, permission, std::move(handler), splitPath(pattern)});
}

void Router::validate() const
{
    QStringList problems;
    static const QRegularExpression parameterName(QStringLiteral("^\\{[A-Za-z][A-Za-z0-9_]*\\}$"));
    for (qsizetype i = 0; i < m_routes.size(); ++i) {
        const Route &route = m_routes.at(i);
        const QString label = QString::fromLatin1(route.method) + u' ' + route.pattern;
        if (!route.permission.isDeclared())
            problems << label + QStringLiteral(": declares no permission");
        if (!route.handler)
            problems << label + QStringLiteral(": has no handler");
        if (!route.pattern.startsWith(u'/'))
            problems << label + QStringLiteral(": pattern must start with '/'");
        for (const QString &segment : route.segments) {
            if (segment.contains(u'{') && !parameterName.match(segment).hasMatch())
                problems << label + QStringLiteral(": malformed parameter '%1'").arg(segment);
        }
        for (qsizetype j = 0; j < i; ++j) {
            if (m_routes.at(j).method == route.method && m_routes.at(j).pattern == route.pattern)
                problems << label + QStringLiteral(": registered twice");
        }
    }
    if (!problems.isEmpty())
        throw std::invalid_argument(problems.join(QStringLiteral("; ")).toStdString());
}

Router::Match Router::match(const QByteArray &method, const QString &path) const
{
    Match result;
    const QStringList segments = splitPath(path);
    const Route *getFallback = nullptr;
    QHash<QString, QString> getParameters;

    for (const Route &route : m_routes) {
        if (route.segments.size() != segments.size())
            continue;
        QHash<QString, QString> parameters;
        bool matched = true;
        for (qsizetype i = 0; i < segments.size() && matched; ++i) {
            const QString &expected = route.segments.at(i);
            if (isParameter(expected)) {
                if (segments.at(i).isEmpty())
                    matched = false;
                else
                    parameters.insert(expected.mid(1, expected.size() - 2), segments.at(i));
            } else if (expected != segments.at(i)) {
                matched = false;
            }
        }
        if (!matched)
            continue;
        if (route.method == method) {
            result.route = &route;
            result.parameters = std::move(parameters);
            return result;
        }
        if (method == "HEAD" && route.method == "GET" && !getFallback) {
            getFallback = &route;
            getParameters = parameters;
        }
        if (!result.allowedMethods.contains(route.method))
            result.allowedMethods.append(route.method);
    }
    if (getFallback) {
        result.route = getFallback;
        result.parameters = std::move(getParameters);
        result.allowedMethods.clear();
        return result;
    }
    if (result.allowedMethods.contains("GET") && !result.allowedMethods.contains("HEAD"))
        result.allowedMethods.append("HEAD");
    return result;
}

} // namespace mcpgate::http
