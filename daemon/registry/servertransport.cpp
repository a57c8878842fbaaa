#include "registry/servertransport.h"

#include <QJsonArray>

namespace mcpgate::registry {

namespace {

QJsonObject mapToJson(const QMap<QString, QString> &map)
{
    QJsonObject object;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

QMap<QString, QString> mapFromJson(const QJsonObject &object)
{
    QMap<QString, QString> map;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        map.insert(it.key(), it.value().toString());
    return map;
}

QJsonObject toJsonForm(const ServerTransport &transport, bool withType, bool withEmpty)
{
    QJsonObject object;
    if (withType)
        object.insert(QLatin1String("type"), transportTypeName(transport.type));
    if (transport.isHttp()) {
        object.insert(QLatin1String("url"), transport.http.url.toString(QUrl::FullyEncoded));
        if (withEmpty || !transport.http.headers.isEmpty())
            object.insert(QLatin1String("headers"), mapToJson(transport.http.headers));
        return object;
    }
    const StdioTransport &stdio = transport.stdio;
    object.insert(QLatin1String("command"), stdio.command);
    if (withEmpty || !stdio.args.isEmpty())
        object.insert(QLatin1String("args"), QJsonArray::fromStringList(stdio.args));
    if (withEmpty || !stdio.env.isEmpty())
        object.insert(QLatin1String("env"), mapToJson(stdio.env));
    if (!stdio.cwd.isEmpty())
        object.insert(QLatin1String("cwd"), stdio.cwd);
    return object;
}

} // namespace

QString transportTypeName(TransportType type)
{
    switch (type) {
    case TransportType::Stdio:
        return QStringLiteral("stdio");
    case TransportType::StreamableHttp:
        return QStringLiteral("streamable-http");
    case TransportType::Sse:
        return QStringLiteral("sse");
    }
    return {};
}

std::optional<TransportType> parseTransportType(const QString &name)
{
    for (const auto type :
         {TransportType::Stdio, TransportType::StreamableHttp, TransportType::Sse}) {
        if (name == transportTypeName(type))
            return type;
    }
    return std::nullopt;
}

QJsonObject ServerTransport::toJson() const
{
    return toJsonForm(*this, true, true);
}

QJsonObject ServerTransport::toInputJson() const
{
    return toJsonForm(*this, true, false);
}

QJsonObject ServerTransport::toStoredJson() const
{
    return toJsonForm(*this, false, true);
}

ServerTransport ServerTransport::fromStoredJson(TransportType type, const QJsonObject &config)
{
    ServerTransport transport;
    transport.type = type;
    if (transport.isHttp()) {
        transport.http.url = QUrl(config.value(QLatin1String("url")).toString(), QUrl::StrictMode);
        transport.http.headers = mapFromJson(config.value(QLatin1String("headers")).toObject());
        return transport;
    }
    transport.stdio.command = config.value(QLatin1String("command")).toString();
    const QJsonArray args = config.value(QLatin1String("args")).toArray();
    for (const QJsonValue &arg : args)
        transport.stdio.args.append(arg.toString());
    transport.stdio.env = mapFromJson(config.value(QLatin1String("env")).toObject());
    transport.stdio.cwd = config.value(QLatin1String("cwd")).toString();
    return transport;
}

} // namespace mcpgate::registry
