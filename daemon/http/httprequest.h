// One parsed HTTP request as handlers see it: method, decoded path, query, headers and body.
#pragma once

#include "httpheaders.h"

#include <QHash>
#include <QHostAddress>
#include <QString>
#include <QUrlQuery>

namespace mcpgate::http {

struct HttpRequest
{
    QByteArray method; // upper-case token, e.g. "GET"
    QByteArray target; // the raw request-target from the request line
    QString path; // percent-decoded path, without the query
    QUrlQuery query;
    HttpHeaders headers;
    QByteArray body;
    QHostAddress peerAddress;
    quint16 peerPort = 0;
    bool secure = false; // arrived over TLS
    int httpMinor = 1; // HTTP/1.x
    QHash<QString, QString> pathParameters; // filled in by the router

    QString pathParameter(const QString &name) const { return pathParameters.value(name); }
    QString queryItem(const QString &name) const;
};

} // namespace mcpgate::http
