// How the gateway reaches one upstream MCP server: a local process over stdio, or a URL over
// Streamable HTTP or legacy HTTP+SSE, with the JSON forms the REST API and the database use.
#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace mcpgate::registry {

enum class TransportType
{
    Stdio,
    StreamableHttp,
    Sse
};

// "stdio", "streamable-http", "sse".
QString transportTypeName(TransportType type);
std::optional<TransportType> parseTransportType(const QString &name);

struct StdioTransport
{
    QString command;
    QStringList args;
    QMap<QString, QString> env;
    QString cwd; // empty: the daemon's working directory
};

struct HttpTransport
{
    QUrl url;
    QMap<QString, QString> headers;
};

struct ServerTransport
{
    TransportType type = TransportType::Stdio;
    StdioTransport stdio; // used when type is Stdio
    HttpTransport http; // used when type is StreamableHttp or Sse

    bool isHttp() const { return type != TransportType::Stdio; }

    // The API form, {"type": "stdio", "command": ..., "args": [...], "env": {...}, "cwd": ...}
    // or {"type": "sse", "url": ..., "headers": {...}}. "cwd" appears only when set.
    QJsonObject toJson() const;
    // The API form without empty optional members, the base a merge patch is applied to: a
    // client switching from stdio to HTTP then only removes "command".
    QJsonObject toInputJson() const;
    // The servers.transport_config column: the API form without "type", which has its own column.
    QJsonObject toStoredJson() const;
    static ServerTransport fromStoredJson(TransportType type, const QJsonObject &config);
};

} // namespace mcpgate::registry
